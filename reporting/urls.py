"""Public URLs of the reporting app outside the page tree."""

app_name = "reporting"
urlpatterns = []
