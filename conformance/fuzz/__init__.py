"""Differential campaigns (``conformance fuzz``): generated cases, a million per flow in minutes, for any
implementation against a flow's reference, judged by :func:`conformance.judge.same`.

* :mod:`~conformance.fuzz.generators`: one input generator per catalog op (or a stated exclusion);
  :mod:`~conformance.mutations`: the input families they draw from;
* :mod:`~conformance.fuzz.shards`: which cases a shard or job runs, deterministic by seed;
* :mod:`~conformance.fuzz.plan`: a campaign's plan, checked before it runs; :mod:`~conformance.fuzz.engine`: runs it;
* :mod:`~conformance.fuzz.minimize` and :mod:`~conformance.fuzz._reducers`: shrink a diverging input;
* :mod:`~conformance.allowances`: the differences DEVIATIONS.md documents, counted apart;
* :mod:`~conformance.fuzz.record`: the JSON record and the merge of shards; :mod:`~conformance.fuzz.save`:
  divergences as candidate vectors.
"""
