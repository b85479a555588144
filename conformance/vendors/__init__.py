"""The Python implementations users import: one module per vendor."""
