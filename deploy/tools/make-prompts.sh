#!/bin/sh
# Regenerates the booth's built-in spoken prompts with espeak-ng: Danish first, then English.
# A city replaces them with recorded voices by dropping files of the same names into the
# booth's prompt cache.
set -eu
out="$(dirname "$0")/../../booth/sounds"
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
speak() { # speak FILE VOICE TEXT
    espeak-ng -v "$2" -s 150 -w "$tmp/raw.wav" "$3"
    sox "$tmp/raw.wav" -r 16000 -c 1 -b 16 "$1" norm -3
}
say() { # say NAME DANISH ENGLISH: both languages, a short pause between
    speak "$tmp/da.wav" da "$2"
    speak "$tmp/en.wav" en-us "$3"
    sox "$tmp/da.wav" -p pad 0 0.6 | sox - "$tmp/en.wav" "$out/$1.flac"
}
say_one() { # say_one NAME VOICE TEXT
    speak "$out/$1.flac" "$2" "$3"
}
say greeting \
    "Velkommen til kvarterets telefonboks. Din besked bliver optaget, skrevet ned af en computer og læst af byens planlæggere. Den kan blive offentliggjort uden dit navn." \
    "Welcome to the neighborhood booth. Your message will be recorded, written down by a computer, and read by the city's planners. It may be published without your name."
say consent_hash \
    "Tryk på firkanten for at sige ja og indtale en besked." \
    "To agree and leave a message, press the hash key."
say consent_star \
    "Tryk på stjernen for at sige ja og indtale en besked." \
    "To agree and leave a message, press the star key."
say_one consent_dial_da da "For at sige ja og indtale en besked, drej"
say_one consent_dial_en en-us "To agree and leave a message, dial"
say choose_theme \
    "Drej et tal for at vælge et emne, eller vent på dagens emne." \
    "Dial a number to choose a topic, or wait for today's topic."
say_one thanks da "Tak. Din kvitteringskode er"
say_one thanks_en en-us "Thank you. Your receipt code is"
say goodbye \
    "Der blev ikke optaget nogen besked. Farvel." \
    "No message was recorded. Goodbye."
say out_of_order \
    "Beklager, telefonboksen virker ikke lige nu. Prøv igen senere." \
    "Sorry, this booth is out of order and cannot record right now. Please try again later."
i=1
for word in nul en to tre fire fem seks syv otte ni; do
    say_one "digit_$((i - 1))" da "$word"
    i=$((i + 1))
done
i=1
for word in zero one two three four five six seven eight nine; do
    say_one "digit_en_$((i - 1))" en-us "$word"
    i=$((i + 1))
done
