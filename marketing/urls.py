from django.urls import path

from . import views

app_name = "marketing"
urlpatterns = [
    path("tour/", views.tour, name="tour"),
    path("tour/go/", views.tour_go, name="tour_go"),
    path("read/<int:article_pk>/", views.read, name="read"),
]
