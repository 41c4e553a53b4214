"""The call machine, over every (phase, event) pair, from a table."""

from dataclasses import replace

import pytest

from booth.call import (
    AudioFailed,
    Call,
    CancelTimer,
    CancelTimers,
    Event,
    HungUp,
    KeyPressed,
    Lifted,
    Phase,
    Play,
    PlaybackDone,
    Rules,
    SilenceDetected,
    Sound,
    SpeechHeard,
    StartRecording,
    StartTimer,
    StopPlayback,
    StopReason,
    StopRecording,
    Timer,
    TimerFired,
    handle,
)

RULES = Rules(
    default_theme="parks",
    theme_digits={"1": "parks", "2": "traffic"},
    consent_timeout_s=20,
    choice_timeout_s=6,
    max_recording_s=180,
    no_speech_timeout_s=8,
    off_hook_after_s=60,
)
N = 7  # the call in progress
EVENTS: dict[str, Event] = {
    "lift": Lifted(),
    "hang_up": HungUp(),
    "consent_key": KeyPressed("#"),
    "digit_2": KeyPressed("2"),
    "digit_9": KeyPressed("9"),  # no theme on 9
    "played": PlaybackDone(N),
    "played_stale": PlaybackDone(N - 1),
    "greeting_delay_timer": TimerFired(Timer.GREETING_DELAY, N),
    "consent_timer": TimerFired(Timer.CONSENT, N),
    "choice_timer": TimerFired(Timer.CHOICE, N),
    "max_timer": TimerFired(Timer.MAX_RECORDING, N),
    "max_timer_stale": TimerFired(Timer.MAX_RECORDING, N - 1),
    "silence": SilenceDetected(N),
    "silence_stale": SilenceDetected(N - 1),
    "speech": SpeechHeard(N),
    "speech_stale": SpeechHeard(N - 1),
    "no_speech_timer": TimerFired(Timer.NO_SPEECH, N),
    "off_hook_timer": TimerFired(Timer.OFF_HOOK, N),
    "off_hook_timer_stale": TimerFired(Timer.OFF_HOOK, N - 1),
    "audio_failed": AudioFailed(),
}

HANG_UP = [CancelTimers(), StopPlayback()]
OFF_HOOK_TIMER = StartTimer(Timer.OFF_HOOK, 60)

# (phase, event) -> (next phase, theme after, actions). Pairs not listed leave the call as it
# is and do nothing; the test walks every pair, so "not listed" is asserted too.
TABLE: dict[tuple[Phase, str], tuple[Phase, str | None, list[object]]] = {
    (Phase.IDLE, "lift"): (Phase.GREETING, None, [Play(Sound.GREETING)]),
    (Phase.GREETING, "played"): (Phase.CONSENT, None, [StartTimer(Timer.CONSENT, 20)]),
    (Phase.GREETING, "consent_key"): (  # barge-in: the greeting stops at once
        Phase.CHOOSING,
        None,
        [CancelTimers(), StopPlayback(), Play(Sound.CHOOSE_THEME)],
    ),
    (Phase.CONSENT, "consent_key"): (
        Phase.CHOOSING,
        None,
        [CancelTimers(), Play(Sound.CHOOSE_THEME)],
    ),
    (Phase.CONSENT, "consent_timer"): (
        Phase.FINISHED,
        None,
        [Play(Sound.GOODBYE), OFF_HOOK_TIMER],
    ),
    (Phase.CHOOSING, "played"): (Phase.CHOOSING, None, [StartTimer(Timer.CHOICE, 6)]),
    (Phase.CHOOSING, "digit_2"): (
        Phase.PROMPT,
        "traffic",
        [CancelTimers(), StopPlayback(), Play(Sound.THEME_PROMPT, "traffic")],
    ),
    (Phase.CHOOSING, "choice_timer"): (
        Phase.PROMPT,
        "parks",
        [CancelTimers(), StopPlayback(), Play(Sound.THEME_PROMPT, "parks")],
    ),
    (Phase.PROMPT, "played"): (Phase.BEEP, "traffic", [Play(Sound.BEEP)]),
    (Phase.PROMPT, "consent_key"): (  # barge-in over the question: the beep at once
        Phase.BEEP,
        "traffic",
        [StopPlayback(), Play(Sound.BEEP)],
    ),
    (Phase.BEEP, "played"): (
        Phase.RECORDING,
        "traffic",
        [
            StartRecording("traffic"),
            StartTimer(Timer.MAX_RECORDING, 180),
            StartTimer(Timer.NO_SPEECH, 8),
        ],
    ),
    (Phase.RECORDING, "speech"): (Phase.RECORDING, "traffic", [CancelTimer(Timer.NO_SPEECH)]),
    (Phase.RECORDING, "no_speech_timer"): (
        Phase.FINISHED,
        "traffic",
        [
            CancelTimers(),
            StopRecording(StopReason.NO_SPEECH),
            Play(Sound.GOODBYE),
            OFF_HOOK_TIMER,
        ],
    ),
    (Phase.RECORDING, "max_timer"): (
        Phase.THANKS,
        "traffic",
        [CancelTimers(), StopRecording(StopReason.MAX_LENGTH), Play(Sound.THANKS)],
    ),
    (Phase.RECORDING, "silence"): (
        Phase.THANKS,
        "traffic",
        [CancelTimers(), StopRecording(StopReason.SILENCE), Play(Sound.THANKS)],
    ),
    (Phase.RECORDING, "hang_up"): (Phase.IDLE, None, [*HANG_UP, StopRecording(StopReason.HUNG_UP)]),
    (Phase.THANKS, "played"): (Phase.FINISHED, "traffic", [OFF_HOOK_TIMER]),
    (Phase.OUT_OF_ORDER, "played"): (Phase.FINISHED, None, [OFF_HOOK_TIMER]),
    (Phase.FINISHED, "off_hook_timer"): (Phase.OFF_HOOK, None, []),
    (Phase.GREETING, "greeting_delay_timer"): (Phase.GREETING, None, [Play(Sound.GREETING)]),
    (Phase.OUT_OF_ORDER, "greeting_delay_timer"): (
        Phase.OUT_OF_ORDER,
        None,
        [Play(Sound.OUT_OF_ORDER)],
    ),
    (Phase.RECORDING, "audio_failed"): (
        Phase.FINISHED,
        "traffic",
        [*HANG_UP, StopRecording(StopReason.AUDIO_FAILED), OFF_HOOK_TIMER],
    ),
}
for phase in Phase:
    if phase not in (Phase.IDLE, Phase.RECORDING):
        TABLE[(phase, "hang_up")] = (Phase.IDLE, None, HANG_UP)
    if phase not in (Phase.IDLE, Phase.RECORDING, Phase.FINISHED, Phase.OFF_HOOK):
        theme = "traffic" if phase in (Phase.PROMPT, Phase.BEEP, Phase.THANKS) else None
        TABLE[(phase, "audio_failed")] = (Phase.FINISHED, theme, [*HANG_UP, OFF_HOOK_TIMER])


def start(phase: Phase) -> Call:
    theme = (
        "traffic" if phase in (Phase.PROMPT, Phase.BEEP, Phase.RECORDING, Phase.THANKS) else None
    )
    return Call(phase, N if phase is not Phase.IDLE else N - 1, theme)


@pytest.mark.parametrize("phase", list(Phase))
@pytest.mark.parametrize("event_name", list(EVENTS))
def test_every_phase_and_event(phase: Phase, event_name: str) -> None:
    call = start(phase)
    after, actions = handle(call, EVENTS[event_name], RULES)
    expected_phase, expected_theme, expected_actions = TABLE.get(
        (phase, event_name), (phase, call.theme, [])
    )
    assert (after.phase, after.theme, actions) == (expected_phase, expected_theme, expected_actions)
    new_call = phase is Phase.IDLE and event_name == "lift"
    assert after.number == call.number + (1 if new_call else 0)


def test_lift_starts_a_new_numbered_call() -> None:
    call, _ = handle(Call(Phase.IDLE, 3), Lifted(), RULES)
    assert call.number == 4


def test_one_theme_skips_the_choice() -> None:
    rules = Rules(default_theme="parks", theme_digits={})
    call, actions = handle(Call(Phase.CONSENT, 1), KeyPressed("#"), rules)
    assert call.phase is Phase.PROMPT and call.theme == "parks"
    assert actions == [CancelTimers(), Play(Sound.THEME_PROMPT, "parks")]


def test_out_of_order_booth_says_so_and_records_nothing() -> None:
    rules = Rules(default_theme="parks", out_of_order=True)
    call, actions = handle(Call(), Lifted(), rules)
    assert call.phase is Phase.OUT_OF_ORDER and actions == [Play(Sound.OUT_OF_ORDER)]
    call, actions = handle(call, KeyPressed("#"), rules)
    assert call.phase is Phase.OUT_OF_ORDER and actions == []


def test_quick_hang_up_and_relift_never_merges_two_callers() -> None:
    """Caller A hangs up during the beep and B lifts at once: A's late beep-done event must
    not start a recording in B's call."""
    call = Call(Phase.BEEP, 5, "parks")
    call, _ = handle(call, HungUp(), RULES)
    call, _ = handle(call, Lifted(), RULES)
    assert (call.phase, call.number) == (Phase.GREETING, 6)
    call, actions = handle(call, PlaybackDone(5), RULES)  # A's beep finishing late
    assert call.phase is Phase.GREETING and actions == []


def test_rotary_booths_consent_with_a_digit() -> None:
    rules = Rules(default_theme="parks", consent_key="9")
    call, actions = handle(Call(Phase.CONSENT, 1), KeyPressed("#"), rules)
    assert call.phase is Phase.CONSENT and actions == []
    call, actions = handle(call, KeyPressed("9"), rules)
    assert call.phase is Phase.PROMPT and actions == [
        CancelTimers(),
        Play(Sound.THEME_PROMPT, "parks"),
    ]


def test_barge_in_the_consent_key_from_the_greeting_s_first_moment_to_the_beep() -> None:
    """A caller who presses the key when told to, while the greeting still plays (say in
    the Danish half, before the English), is heard: the greeting stops, and with one theme
    its question follows; the key again skips the question to the beep."""
    rules = Rules(default_theme="parks", theme_digits={})
    call, _ = handle(Call(), Lifted(), rules)
    call, actions = handle(call, KeyPressed("#"), rules)
    assert (call.phase, call.theme) == (Phase.PROMPT, "parks")
    assert actions == [CancelTimers(), StopPlayback(), Play(Sound.THEME_PROMPT, "parks")]
    call, actions = handle(call, KeyPressed("#"), rules)
    assert call.phase is Phase.BEEP and actions == [StopPlayback(), Play(Sound.BEEP)]
    call, actions = handle(call, PlaybackDone(call.number), rules)
    assert call.phase is Phase.RECORDING and StartRecording("parks") in actions


def test_barge_in_the_theme_digit_while_the_themes_are_listed() -> None:
    call, _ = handle(Call(Phase.GREETING, 1), KeyPressed("#"), RULES)
    call, actions = handle(call, KeyPressed("2"), RULES)  # the list of themes just began
    assert (call.phase, call.theme) == (Phase.PROMPT, "traffic")
    assert actions == [CancelTimers(), StopPlayback(), Play(Sound.THEME_PROMPT, "traffic")]


def test_other_keys_during_the_greeting_are_no_consent() -> None:
    for key in ("2", "*", "0"):
        call, actions = handle(Call(Phase.GREETING, 1), KeyPressed(key), RULES)
        assert call.phase is Phase.GREETING and actions == []


def test_the_greeting_waits_for_the_handset_to_reach_the_ear() -> None:
    rules = Rules(default_theme="parks", greeting_delay_s=0.4)
    call, actions = handle(Call(), Lifted(), rules)
    assert call.phase is Phase.GREETING and actions == [StartTimer(Timer.GREETING_DELAY, 0.4)]
    after, actions = handle(call, TimerFired(Timer.GREETING_DELAY, call.number), rules)
    assert after.phase is Phase.GREETING and actions == [Play(Sound.GREETING)]
    # A caller who knows the booth may say yes before the first word.
    after, actions = handle(call, KeyPressed("#"), rules)
    assert after.phase is Phase.PROMPT and actions[0] == CancelTimers()
    out, actions = handle(Call(), Lifted(), replace(rules, out_of_order=True))
    assert out.phase is Phase.OUT_OF_ORDER
    assert handle(out, TimerFired(Timer.GREETING_DELAY, out.number), rules)[1] == [
        Play(Sound.OUT_OF_ORDER)
    ]
