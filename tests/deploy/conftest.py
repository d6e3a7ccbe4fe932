from tests.unit.test_packaging import wheel, wheel_names  # noqa: F401 (shared fixtures)
