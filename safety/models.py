"""The safety app's models are the historical copies of the content models.

They are created in SafetyConfig.ready() (seminars/record/history_tables.py) once modeltranslation
has added the
translated columns; django-simple-history places them in this module.
"""
