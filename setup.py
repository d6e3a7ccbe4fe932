"""The packages, and the client's resources: icons, style sheet and translations live in
the top-level ``resources/`` folder of the repository and ship in the wheel as
``ui/resources`` (``ui/paths.py`` finds them in either place). Everything else about the
project is in ``pyproject.toml``; ``tests/unit/test_packaging.py`` checks the wheel."""

from setuptools import find_namespace_packages, setup

RESOURCES = ["resources", "resources.icons", "resources.translations"]

setup(
    packages=find_namespace_packages(
        include=["gulou_desk*", "gulou_launcher*", "sync*", "server*", "ui*"])
    + [f"ui.{name}" for name in RESOURCES],
    package_dir={f"ui.{name}": name.replace(".", "/") for name in RESOURCES},
)
