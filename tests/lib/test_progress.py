from lib.progress import progress_state


def test_the_state_has_the_three_keys_the_page_reads():
    assert progress_state(percent=40, stage="rows frozen", finished=False) == {
        "percent": 40, "stage": "rows frozen", "finished": False,
    }  # fmt: skip


def test_a_task_s_own_details_come_along():
    state = progress_state(percent=100, stage="done", finished=True, status="ready", done=7)
    assert state == {
        "status": "ready",
        "done": 7,
        "percent": 100,
        "stage": "done",
        "finished": True,
    }


def test_the_bar_stays_between_0_and_100_percent():
    assert progress_state(percent=140, stage="", finished=False)["percent"] == 100
    assert progress_state(percent=-3, stage="", finished=False)["percent"] == 0
