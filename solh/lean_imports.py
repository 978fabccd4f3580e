"""Keep out of every process what Wagtail builds at startup for an API the platform never serves.

Wagtail 8 builds its v3 API (django-ninja, and pydantic schemas for pages, images, documents,
snippets, redirects and locales) in the ``ready()`` of five of its apps, whether or not a URLconf
mounts it. The platform does not (its public API is v2, ``solh/api.py``), yet the build is 14 MB
of every gunicorn worker's memory and a second of every process's startup.

``defer_wagtail_api_v3()`` (called from the settings, before Django loads the apps) lets those
``ready()`` methods run against stand-ins that record what they register. The first time
anything uses the v3 API once the apps are loaded (``wagtail.api.v3.urls`` in a URLconf, or any
attribute of the stand-ins), the real modules are imported and the recorded registrations are
made, in the order Wagtail made them. Snippet schemas are then built from the snippet models
registered by that time. Guarded by ``tests/solh/test_lean_imports.py``.
"""

import importlib
import importlib.abc
import importlib.machinery
import re
import sys
import types

API_MODULE = "wagtail.api.v3.api"
# An app's own v3 package (``wagtail.images.api.v3``, ``wagtail.contrib.redirects.api.v3`` …)
# and its modules; not ``wagtail.api.v3`` itself, whose package and helpers are cheap.
APP_API_MODULE = re.compile(r"^wagtail\.[a-z_.]+\.api\.v3(\.[a-z_.]+)?$")


class _Recorded:
    """What an app's ``ready()`` took from a stand-in module: a name to look up in the real
    module later, or a call to make on it."""

    def __init__(self, deferral, module, path):
        self._deferral = deferral
        self._module = module
        self._path = path

    def __getattr__(self, name):
        return _Recorded(self._deferral, self._module, (*self._path, name))

    def __call__(self, *args, **kwargs):
        self._deferral.calls.append((self, args, kwargs))

    def resolve(self):
        found = importlib.import_module(self._module)
        for name in self._path:
            found = getattr(found, name)
        return found


class _StandIn(types.ModuleType):
    def __getattr__(self, name):
        if name.startswith("__"):
            raise AttributeError(name)
        deferral = _Deferral.installed
        if deferral is None or deferral.apps_ready():
            # In use once the apps are loaded: the real API, with what was registered.
            if deferral is not None:
                deferral.realise()
            return getattr(importlib.import_module(self.__name__), name)
        return _Recorded(deferral, self.__name__, (name,))


class _Deferral(importlib.abc.MetaPathFinder, importlib.abc.Loader):
    installed = None

    def __init__(self):
        self.calls = []
        self.stand_ins = set()

    @staticmethod
    def apps_ready():
        from django.apps import apps

        return apps.ready

    def find_spec(self, name, path=None, target=None):
        if name != API_MODULE and not APP_API_MODULE.match(name):
            return None
        if self.apps_ready():
            self.realise()
            return None
        real = importlib.machinery.PathFinder.find_spec(name, path)
        if real is None:
            return None
        spec = importlib.machinery.ModuleSpec(
            name, self, is_package=real.submodule_search_locations is not None
        )
        spec.submodule_search_locations = real.submodule_search_locations
        return spec

    def create_module(self, spec):
        return _StandIn(spec.name)

    def exec_module(self, module):
        self.stand_ins.add(module.__name__)

    def realise(self):
        """Import the real v3 API and make the registrations the apps' ``ready()`` recorded."""
        if _Deferral.installed is not self:
            return
        _Deferral.installed = None
        sys.meta_path.remove(self)
        for name in self.stand_ins:
            sys.modules.pop(name, None)
            parent, _, child = name.rpartition(".")
            if isinstance(getattr(sys.modules.get(parent), child, None), _StandIn):
                delattr(sys.modules[parent], child)
        importlib.import_module(API_MODULE)
        for recorded, args, kwargs in self.calls:
            args = [arg.resolve() if isinstance(arg, _Recorded) else arg for arg in args]
            kwargs = {
                key: value.resolve() if isinstance(value, _Recorded) else value
                for key, value in kwargs.items()
            }
            recorded.resolve()(*args, **kwargs)
        self.calls = []


def defer_wagtail_api_v3():
    """Build Wagtail's v3 API on its first use instead of in every process's startup."""
    if _Deferral.installed is None and API_MODULE not in sys.modules:
        _Deferral.installed = _Deferral()
        sys.meta_path.insert(0, _Deferral.installed)
