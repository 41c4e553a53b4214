"""The call flow as a pure state machine: `handle(call, event, rules) -> (call, actions)`.

No I/O and no clocks here. The agent feeds events in (from the hook, the dial, the audio
and its timers) and carries the actions out. Every event that belongs to one call carries
that call's number, so a late event from a caller who already hung up can never leak into
the next caller's call.
"""

from dataclasses import dataclass, field, replace
from enum import StrEnum


class Phase(StrEnum):
    IDLE = "idle"
    GREETING = "greeting"  # explaining what happens to a message
    CONSENT = "consent"  # waiting for the consent key
    CHOOSING = "choosing"  # waiting for a theme digit
    PROMPT = "prompt"  # the theme's question
    BEEP = "beep"
    RECORDING = "recording"
    THANKS = "thanks"  # thank-you and receipt code
    OUT_OF_ORDER = "out_of_order"
    FINISHED = "finished"  # nothing more to say; waiting for the hang-up
    OFF_HOOK = "off_hook"  # finished long ago and still not hung up: the booth reports it


class Sound(StrEnum):
    GREETING = "greeting"
    CHOOSE_THEME = "choose_theme"
    THEME_PROMPT = "theme_prompt"
    BEEP = "beep"
    THANKS = "thanks"
    GOODBYE = "goodbye"
    OUT_OF_ORDER = "out_of_order"


class Timer(StrEnum):
    GREETING_DELAY = "greeting_delay"  # the handset on its way from the cradle to the ear
    CONSENT = "consent"
    CHOICE = "choice"
    MAX_RECORDING = "max_recording"
    NO_SPEECH = "no_speech"  # the beep sounded and the caller has said nothing yet
    OFF_HOOK = "off_hook"  # the call is over and the handset is still up


class StopReason(StrEnum):
    HUNG_UP = "hung_up"
    MAX_LENGTH = "max_length"
    SILENCE = "silence"
    NO_SPEECH = "no_speech"  # nothing said after the beep: nothing is kept
    AUDIO_FAILED = "audio_failed"


# Events ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Lifted:
    pass


@dataclass(frozen=True)
class HungUp:
    pass


@dataclass(frozen=True)
class KeyPressed:
    key: str  # "0".."9", "#", "*"; always meant for the call in progress


@dataclass(frozen=True)
class PlaybackDone:
    call: int


@dataclass(frozen=True)
class TimerFired:
    timer: Timer
    call: int


@dataclass(frozen=True)
class SpeechHeard:
    """The recorder heard the caller say enough to make a message (`vad.is_message`)."""

    call: int


@dataclass(frozen=True)
class SilenceDetected:
    """The recorder heard a message, then a long silence."""

    call: int


@dataclass(frozen=True)
class AudioFailed:
    """The sound card failed; whatever call is in progress cannot go on."""


Event = (
    Lifted
    | HungUp
    | KeyPressed
    | PlaybackDone
    | TimerFired
    | SpeechHeard
    | SilenceDetected
    | AudioFailed
)


# Actions ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Play:
    sound: Sound
    theme: str | None = None


@dataclass(frozen=True)
class StopPlayback:
    pass


@dataclass(frozen=True)
class StartRecording:
    theme: str


@dataclass(frozen=True)
class StopRecording:
    reason: StopReason


@dataclass(frozen=True)
class StartTimer:
    timer: Timer
    seconds: float


@dataclass(frozen=True)
class CancelTimer:
    timer: Timer


@dataclass(frozen=True)
class CancelTimers:
    pass


Action = (
    Play | StopPlayback | StartRecording | StopRecording | StartTimer | CancelTimer | CancelTimers
)


# State -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Rules:
    """What the booth's current config says about calls."""

    default_theme: str
    theme_digits: dict[str, str] = field(default_factory=dict)  # digit -> theme slug
    consent_key: str = "#"
    consent_timeout_s: float = 20.0
    choice_timeout_s: float = 6.0
    max_recording_s: float = 180.0
    no_speech_timeout_s: float = 8.0
    off_hook_after_s: float = 60.0
    greeting_delay_s: float = 0.0  # from the lift to the first word
    out_of_order: bool = False


@dataclass(frozen=True)
class Call:
    phase: Phase = Phase.IDLE
    number: int = 0  # counts calls since start; tags events to their call
    theme: str | None = None

    @property
    def active(self) -> bool:
        return self.phase is not Phase.IDLE


Transition = tuple[Call, list[Action]]


def handle(call: Call, event: Event, rules: Rules) -> Transition:
    if isinstance(event, Lifted):
        return _lifted(call, rules)
    if isinstance(event, HungUp):
        return _hung_up(call)
    if call.phase is Phase.IDLE:
        return call, []
    if isinstance(event, AudioFailed):
        return _audio_failed(call, rules)
    if isinstance(event, KeyPressed):
        return _key(call, event.key, rules)
    if event.call != call.number:
        return call, []  # stale: belongs to a call that already ended
    if isinstance(event, PlaybackDone):
        return _playback_done(call, rules)
    if isinstance(event, TimerFired):
        return _timer(call, event.timer, rules)
    if isinstance(event, SpeechHeard):
        return call, [CancelTimer(Timer.NO_SPEECH)] if call.phase is Phase.RECORDING else []
    return _silence(call)


def _lifted(call: Call, rules: Rules) -> Transition:
    if call.active:
        return call, []  # a bouncing hook switch; the debounce should have caught it
    number = call.number + 1
    phase = Phase.OUT_OF_ORDER if rules.out_of_order else Phase.GREETING
    if rules.greeting_delay_s > 0:  # the first words would be lost on the way to the ear
        return Call(phase, number), [StartTimer(Timer.GREETING_DELAY, rules.greeting_delay_s)]
    return Call(phase, number), [_first_words(phase)]


def _first_words(phase: Phase) -> Play:
    return Play(Sound.OUT_OF_ORDER if phase is Phase.OUT_OF_ORDER else Sound.GREETING)


def _hung_up(call: Call) -> Transition:
    if not call.active:
        return call, []
    actions: list[Action] = [CancelTimers(), StopPlayback()]
    if call.phase is Phase.RECORDING:
        actions.append(StopRecording(StopReason.HUNG_UP))
    return Call(Phase.IDLE, call.number), actions


def _key(call: Call, key: str, rules: Rules) -> Transition:
    # Barge-in: a caller who knows the booth need not sit through half a minute of
    # explanation. The consent key counts from the first moment of the greeting (which
    # stops at once), a theme digit from the first moment of the list of themes, and the
    # consent key pressed again during the theme's question goes straight to the beep.
    consent = key == rules.consent_key
    if consent and call.phase in (Phase.GREETING, Phase.CONSENT):
        stop: list[Action] = [StopPlayback()] if call.phase is Phase.GREETING else []
        if len(set(rules.theme_digits.values())) > 1:
            actions: list[Action] = [CancelTimers(), *stop, Play(Sound.CHOOSE_THEME)]
            return replace(call, phase=Phase.CHOOSING), actions
        return _prompt(call, rules.default_theme, stop_playback=bool(stop))
    if call.phase is Phase.CHOOSING and key in rules.theme_digits:
        return _prompt(call, rules.theme_digits[key], stop_playback=True)
    if consent and call.phase is Phase.PROMPT:
        return replace(call, phase=Phase.BEEP), [StopPlayback(), Play(Sound.BEEP)]
    return call, []


def _prompt(call: Call, theme: str, *, stop_playback: bool = False) -> Transition:
    actions: list[Action] = [CancelTimers()]
    if stop_playback:
        actions.append(StopPlayback())
    actions.append(Play(Sound.THEME_PROMPT, theme))
    return replace(call, phase=Phase.PROMPT, theme=theme), actions


def _playback_done(call: Call, rules: Rules) -> Transition:
    match call.phase:
        case Phase.GREETING:
            return replace(call, phase=Phase.CONSENT), [
                StartTimer(Timer.CONSENT, rules.consent_timeout_s)
            ]
        case Phase.CHOOSING:
            return call, [StartTimer(Timer.CHOICE, rules.choice_timeout_s)]
        case Phase.PROMPT:
            return replace(call, phase=Phase.BEEP), [Play(Sound.BEEP)]
        case Phase.BEEP:
            theme = call.theme or rules.default_theme
            return replace(call, phase=Phase.RECORDING), [
                StartRecording(theme),
                StartTimer(Timer.MAX_RECORDING, rules.max_recording_s),
                StartTimer(Timer.NO_SPEECH, rules.no_speech_timeout_s),
            ]
        case Phase.THANKS | Phase.OUT_OF_ORDER:
            return _finished(call, rules, [])
    return call, []


def _timer(call: Call, timer: Timer, rules: Rules) -> Transition:
    if call.phase in (Phase.GREETING, Phase.OUT_OF_ORDER) and timer is Timer.GREETING_DELAY:
        return call, [_first_words(call.phase)]
    if call.phase is Phase.CONSENT and timer is Timer.CONSENT:
        return _finished(call, rules, [Play(Sound.GOODBYE)])
    if call.phase is Phase.CHOOSING and timer is Timer.CHOICE:
        return _prompt(call, rules.default_theme, stop_playback=True)
    if call.phase is Phase.RECORDING and timer is Timer.MAX_RECORDING:
        return _thanks(call, StopReason.MAX_LENGTH)
    if call.phase is Phase.RECORDING and timer is Timer.NO_SPEECH:
        stop: list[Action] = [CancelTimers(), StopRecording(StopReason.NO_SPEECH)]
        return _finished(call, rules, [*stop, Play(Sound.GOODBYE)])
    if call.phase is Phase.FINISHED and timer is Timer.OFF_HOOK:
        return replace(call, phase=Phase.OFF_HOOK), []
    return call, []


def _finished(call: Call, rules: Rules, actions: list[Action]) -> Transition:
    """Nothing more to say: wait for the hang-up, and report a handset left off the hook."""
    return replace(call, phase=Phase.FINISHED), [
        *actions,
        StartTimer(Timer.OFF_HOOK, rules.off_hook_after_s),
    ]


def _audio_failed(call: Call, rules: Rules) -> Transition:
    if call.phase in (Phase.FINISHED, Phase.OFF_HOOK):
        return call, []
    actions: list[Action] = [CancelTimers(), StopPlayback()]
    if call.phase is Phase.RECORDING:
        actions.append(StopRecording(StopReason.AUDIO_FAILED))
    return _finished(call, rules, actions)


def _silence(call: Call) -> Transition:
    if call.phase is Phase.RECORDING:
        return _thanks(call, StopReason.SILENCE)
    return call, []


def _thanks(call: Call, reason: StopReason) -> Transition:
    return replace(call, phase=Phase.THANKS), [
        CancelTimers(),
        StopRecording(reason),
        Play(Sound.THANKS),
    ]
