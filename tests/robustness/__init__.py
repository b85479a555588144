"""The robustness harness behind ``tests/test_robustness.py``: hostile values, the public callables found by
introspection, well-formed arguments and instances, and the call that classifies what each call raised."""
