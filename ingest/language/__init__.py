"""Language: pure functions over Danish and English text, no storage and no I/O.

Word stems, stop words and number words (`words`) serve search in the store and the public
word counts; the personal data found in a transcript (`redaction/`) serves review and every
public or exported text. Both sit below the store because search terms are made on write.
"""
