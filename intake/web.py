"""The public blueprint: the citizen-facing pages and the shared public layout."""
from flask import Blueprint, render_template

public = Blueprint("public", __name__, template_folder="templates", static_folder="static",
                   static_url_path="/static/public")


@public.get("/")
def home():
    """Show the landing page with every citizen channel."""
    return render_template("public/home.html")
