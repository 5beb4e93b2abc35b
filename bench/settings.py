"""Settings of the benchmark server: the project's, plus the bare baseline view and a client id.

- `/bench/bare/` is a Django view returning a constant, behind the same middleware as every
  page: the framework floor every figure is divided by.
- The load generator runs on loopback, so every request comes from 127.0.0.1 and the public
  lookup's per-address limiter would answer 429 after 30 requests. `X-Bench-Client` (sent by the
  wrk scripts with a fresh value per request) becomes REMOTE_ADDR, so the limiter still does its
  work on every request but never blocks. Never use this settings module in production.
"""

import os

from motcua.settings import *  # noqa: F403

ROOT_URLCONF = "bench.urls"
MIDDLEWARE = ["bench.middleware.bench_client_address", *MIDDLEWARE]  # noqa: F405
ALLOWED_HOSTS = ["127.0.0.1", "localhost"]

# The gateway's hash secret the bench signs its IPN notices with (`bench.py payments`); the
# project's settings leave it empty outside DEBUG and the tests.
MOTCUA_VNPAY_HASH_SECRET = os.environ.get(
    "MOTCUA_VNPAY_HASH_SECRET", "bench-vnpay-hash-secret-not-for-production"
)

# The postal sandbox operator (`bench.py postal`): shipments' orders are taken by the sandbox and
# its callbacks, signed by the bench with this secret, come to /api/v1/postal/callback/sandbox.
MOTCUA_POSTAL_SANDBOX = True
MOTCUA_POSTAL_SANDBOX_SECRET = os.environ.get(
    "MOTCUA_POSTAL_SANDBOX_SECRET", "bench-postal-sandbox-secret-not-for-production"
)
