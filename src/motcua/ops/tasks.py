"""Tasks of the operations app: a round-trip probe monitoring can enqueue to prove workers run."""

from django_tasks import task


@task()
def probe(token: str) -> str:
    return token
