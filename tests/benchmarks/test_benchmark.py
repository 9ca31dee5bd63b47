import pytest

from tests.benchmarks.run import main


@pytest.mark.benchmark
def test_benchmark_prints_the_table(capsys: pytest.CaptureFixture[str]) -> None:
    with capsys.disabled():
        main()
