"""A 3x4 key matrix on gpiozero's MockFactory pins, pressed by the test."""

from gpiozero.pins.mock import MockConnectedPin, MockFactory

ROWS, COLUMNS, LAYOUT = [5, 6, 13, 19], [12, 16, 20], "123456789*0#"


class Fingers:
    """What a key does to a matrix: while down it joins its row to its column, so the
    column follows whatever the scan drives on that row (MockConnectedPin)."""

    def __init__(self, pins: MockFactory, pull_up: bool) -> None:
        self.pins, self.pull_up = pins, pull_up

    def _pins(self, key: str) -> tuple[MockConnectedPin, MockConnectedPin]:
        row, column = divmod(LAYOUT.index(key), len(COLUMNS))
        return self.pins.pin(ROWS[row]), self.pins.pin(COLUMNS[column])

    def down(self, key: str) -> None:
        row, column = self._pins(key)
        row.input_pin = column
        column.drive_high() if row.state else column.drive_low()

    def up(self, key: str) -> None:
        row, column = self._pins(key)
        row.input_pin = None
        column.drive_high() if self.pull_up else column.drive_low()
