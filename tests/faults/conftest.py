"""Fixtures of the fault tests that run the platform on servers of their own
(``tests.faults.services``): a private PostgreSQL cluster, migrated and seeded once per test
process, of which each test module takes a copy."""

import contextlib

import pytest

from tests.faults.services import PostgresCluster, orm_on, seed


@pytest.fixture(scope="session")
def private_postgres():
    """A PostgreSQL cluster of this test process's own, holding the seeded template database
    (``tests.faults.seed``): stopping it disturbs nobody else."""
    cluster = PostgresCluster()
    try:
        cluster.start()
        seed(cluster)
        yield cluster
    finally:
        cluster.remove()


@pytest.fixture
def private_orm(django_db_blocker):
    """``with private_orm(url):`` points this process's ORM at a private database, to read
    what the servers stored (and change what an operator's shell could)."""

    @contextlib.contextmanager
    def on(database_url):
        with django_db_blocker.unblock(), orm_on(database_url):
            yield

    return on
