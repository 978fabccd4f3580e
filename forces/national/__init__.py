"""National content on every force site: syndication (one national page, an alias on every
force site), governance (50:50 approval of national pages) and bilingual (Welsh copies kept in
step). Each feature has its service module, and its signals and admin hooks beside it
(``*_hooks.py``), registered by ``ForcesConfig.ready()``.
"""
