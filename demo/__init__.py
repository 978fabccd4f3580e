"""The demo: ``seed_demo`` (the hub, the demo forces, their content and users), the demo
content (``content/``), the national demo reporting journeys (``journeys.py``) and the demo
force back office that receives report webhooks (``receiver.py``, ``demo_receiver``).

Nothing in the platform depends on it: it builds the demo through the platform's own services.
"""
