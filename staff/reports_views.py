"""The reports page of the staff console (executives and officers)."""
from flask import Blueprint

bp = Blueprint("staff_reports", __name__, url_prefix="/staff/reports")
