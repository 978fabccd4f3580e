"""Supply chain and deployment checks: scripts/audit.py, manage.py check --deploy."""
