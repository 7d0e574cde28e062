"""Demo data for Astral: a running club with coaches, athletes, plans, a year of runs and wellness.

The top of the stack (it builds rows of every app). Entry points: `demo.builder.build_demo`,
`demo.reset.demo_exists` / `demo_reset`, used by `manage.py seed_demo`.
"""
