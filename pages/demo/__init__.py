"""Demo data for `make run` (`manage.py seed_demo`): one module per app it fills, composed here
because the demo spans every app."""
