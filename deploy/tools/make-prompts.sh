#!/bin/sh
# Regenerates the booth's built-in spoken prompts (English) with espeak-ng.
# A city replaces them with recorded voices by dropping files of the same names
# into the booth's prompt cache.
set -eu
out="$(dirname "$0")/../../booth/sounds"
tmp="$(mktemp -d)"
say() {
    espeak-ng -v en-us -s 150 -w "$tmp/$1.wav" "$2"
    sox "$tmp/$1.wav" -r 16000 -c 1 -b 16 "$out/$1.wav" norm -3
}
say greeting "Welcome to the neighborhood booth. Your message will be recorded, written down by a computer, and read by the city's planners. It may be published without your name. To agree and leave a message, press the hash key."
say choose_theme "Dial a number to choose a topic, or wait for today's topic."
say thanks "Thank you. Your receipt code is"
say goodbye "No message was recorded. Goodbye."
say out_of_order "Sorry, this booth is out of order and cannot record right now. Please try again later."
for d in 0 1 2 3 4 5 6 7 8 9; do
    word=$(echo "zero one two three four five six seven eight nine" | cut -d' ' -f$((d + 1)))
    say "digit_$d" "$word"
done
rm -rf "$tmp"
