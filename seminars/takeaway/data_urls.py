"""The open data files, outside the language prefix (included by config.urls)."""

from django.urls import path

from . import views

# The same files in every language: one URL each.
data = [
    path("data/editions.csv", views.editions_csv, name="editions_csv"),
    path("data/editions.json", views.editions_json, name="editions_json"),
]
