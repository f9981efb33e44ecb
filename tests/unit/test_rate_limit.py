"""The API's one-minute rate windows (api.app.WindowLimiter): per key, per address."""

from __future__ import annotations

from api.app import WindowLimiter


def test_each_bucket_gets_its_own_minute_and_the_table_resets_with_it() -> None:
    limiter = WindowLimiter(2)
    assert [limiter.retry_after("key:a", 60.0) for _ in range(3)] == [0, 0, 60]
    assert limiter.retry_after("key:b", 61.0) == 0  # another key is not held back
    headers = dict(limiter.headers("key:a", 70.0))
    assert headers[b"ratelimit-limit"] == b"2"
    assert headers[b"ratelimit-remaining"] == b"0"
    assert headers[b"ratelimit-reset"] == b"50"
    assert limiter.retry_after("key:a", 120.0) == 0  # the next minute starts afresh
    assert limiter.counts == {"key:a": 1}


def test_a_zero_limit_never_refuses() -> None:
    limiter = WindowLimiter(0)
    assert all(limiter.retry_after("key:a", 1.0) == 0 for _ in range(1000))
