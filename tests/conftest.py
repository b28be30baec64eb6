import pytest

from integrity.model import load_model


@pytest.fixture(scope="session")
def m2017():
    return load_model("2017")


@pytest.fixture(scope="session")
def m2022():
    return load_model("2022")


pytest_plugins = ["tests.registry_fixtures"]
