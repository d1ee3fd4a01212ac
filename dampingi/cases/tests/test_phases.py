from dampingi.cases.phases import TRANSITIONS, MoveKind, Phase, move_for, moves_from


def test_forward_moves_go_one_step_at_a_time():
    assert move_for("engagement", "assessment").kind == MoveKind.FORWARD
    assert move_for("engagement", "planning") is None
    assert move_for("planning", "intervention").kind == MoveKind.FORWARD


def test_evaluation_may_go_back_to_assessment_or_planning_for_another_cycle():
    assert move_for("evaluation", "assessment").kind == MoveKind.CYCLE
    assert move_for("evaluation", "planning").kind == MoveKind.CYCLE
    assert move_for("intervention", "assessment") is None


def test_every_open_phase_may_terminate_with_a_reason():
    for phase in list(Phase)[:-1]:
        move = move_for(phase, Phase.TERMINATION)
        assert move.kind == MoveKind.TERMINATE
        assert move.needs_reason


def test_reopen_goes_from_termination_to_engagement():
    assert move_for("termination", "engagement").kind == MoveKind.REOPEN
    assert [m.target for m in moves_from("termination")] == [Phase.ENGAGEMENT]


def test_unknown_phase_names_are_refused():
    assert move_for("nowhere", "assessment") is None
    assert all(m.source != m.target for m in TRANSITIONS.values())
