from django.urls import path

from . import views

app_name = "seminars"
urlpatterns = [
    path("", views.series, name="series"),
    path("seminars/<int:edition>/", views.seminar_detail, name="detail"),
]
