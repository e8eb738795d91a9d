"""What the hostile-input sweeps (tests/test_hostile_*.py) take from each app: see cases.py."""
