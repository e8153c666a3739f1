"""A worker computes in the threads it is given, in torch and in numpy's BLAS alike: BLAS's own
threads, one per core, spin after each product and take cores from the other workers."""
import pytest
from threadpoolctl import threadpool_info, threadpool_limits

from factcheck.semantic.encoders import _use_threads


def blas_threads() -> set[int]:
    return {pool["num_threads"] for pool in threadpool_info() if pool["user_api"] == "blas"}


def test_the_encoders_threads_hold_for_blas_and_torch():
    torch = pytest.importorskip("torch")
    torch_before = torch.get_num_threads()
    with threadpool_limits(2, user_api="blas"):
        if blas_threads() != {2}:
            pytest.skip("numpy's BLAS runs in one thread on this machine whatever it is asked")
        try:
            _use_threads(1)
            assert blas_threads() == {1}
            assert torch.get_num_threads() == 1
        finally:
            torch.set_num_threads(torch_before)
