import pytest

from tests.benchmarks.wrap import main


@pytest.mark.benchmark
def test_wrap_benchmark_prints_the_table(capsys: pytest.CaptureFixture[str]) -> None:
    with capsys.disabled():
        main()
