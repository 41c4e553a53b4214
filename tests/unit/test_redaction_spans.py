"""How overlapping findings become one span, and what the reader sees in its place."""

import pytest

from ingest.language.redaction import redact


def test_a_name_inside_an_email_address_is_labelled_as_the_address() -> None:
    # The name lists find "anna" where the e-mail rule finds the whole address: one span,
    # labelled by the longer of two that start together.
    assert redact("write to anna@example.dk", "en") == "write to [e-mail]"


@pytest.mark.parametrize(
    ("said", "published"),
    [
        # A name said again, spelled or in an address, is the same person.
        ("det er Kim, K-I-M, og jeg", "det er [navn], [navn], og jeg"),
        ("faduma.ali snabel-a outlook.dk, faduma med f", "[e-mail], [navn] med f"),
        (
            "det er bare Storm, min søn, sig det så Storm",
            "det er bare [navn], min søn, sig det så [navn]",
        ),
        # Who they are to the caller, and the caller going on about themselves.
        ("det er Oksana, jeg er fra Ukraine", "det er [navn], jeg er fra Ukraine"),
        ("at kirsten ved siden af har ret", "at [navn] ved siden af har ret"),
        ("ring til mig, Aksel, på 22 41 87 90", "ring til mig, [navn], på [telefon]"),
        (
            "en ung fyr de kaldte Mo, og mormor kalder vi Momse",
            "en ung fyr de kaldte [navn], og mormor kalder vi [navn]",
        ),
        ("jeg hedder fadumo f a d u m o og", "jeg hedder [navn] [navn] og"),
        ("xin chào jeg hedder nguyen thi lan og min cpr", "xin chào jeg hedder [navn] og min cpr"),
        ("salam jeg hedder mohammad al hassan og", "salam jeg hedder [navn] og"),
        (
            "min mail er ali punktum r nej ali.rasmussen@gmail.com",
            "min mail er [e-mail] nej [e-mail]",
        ),
        # A lower-case word shaped like a surname ("-sen") is a bus here.
        ("mit navn er ahmed el-sayed og bussen 1A kører", "mit navn er [navn] og bussen 1A kører"),
        (
            "email gurpreet singh at live dot com, one word, gurpreetsingh, the",
            "email [e-mail], one word, [navn], the",
        ),
        (
            "hans nummer er 86 17... nej jeg kan ikke huske resten",
            "hans nummer er [telefon]... nej jeg kan ikke huske resten",
        ),
        # The city's staff write from initials or a name; a caller's hours are no desk's.
        (
            "skriv til ulkj@aarhus.dk eller tine.r@aarhus.dk, ring 23 45 67 18 mellem 16 og 18",
            "skriv til [e-mail] eller [e-mail], ring [telefon] mellem 16 og 18",
        ),
        ("men jeg, Sivakumar Rajendran, har", "men jeg, [navn], har"),
        # "de" is a particle of names, and "they" in Danish
        (
            "olga og hendes datter nadia de bor hos os",
            "[navn] og hendes datter [navn] de bor hos os",
        ),
        ("det er bare mig thomas jeg ringer", "det er bare mig [navn] jeg ringer"),
        # Numbers and addresses as people say them.
        (
            "Jeg bor på Tordenskjoldsgade… øh… nummer atten, og",
            "Jeg bor på [adresse]… øh… [adresse], og",
        ),
        (
            "Vi bor på Sønderhøj 20… til højre… og postnummeret er otte tusind.",
            "Vi bor på [adresse]… og postnummeret er [adresse].",
        ),
        (
            "mit adresse er Bispehavevej 28, andet, tv, 8210 Aarhus V, min",
            "mit adresse er [adresse], min",
        ),
        ("jeg bor på Vestergade 12… og så bogstav E, E som i", "jeg bor på [adresse], E som i"),
        ("jeg bor ovenpå butikken på Ryesgade 4, 1. sal", "jeg bor ovenpå butikken på [adresse]"),
        (
            "til min mor på Fenrisvej 19 otte to et nul hun",
            "til min mor på [adresse] [adresse] hun",
        ),
        ("det er 25 dobbelt 6 13 80, skriv det ned", "det er [telefon], skriv det ned"),
        ("jeg bor på Kirkevej 3 8330 beder og der", "jeg bor på [adresse] [adresse] og der"),
        (
            "hvad hedder det 8000 Aarhus C … Frederiksgade 60, og jeg",
            "hvad hedder det [adresse] … [adresse], og jeg",
        ),
        ("adressen er Høgevej 2, Lystrup, 8520 og der", "adressen er [adresse] og der"),
        ("jeg bor tre tv Ørnevej 4 og vi", "jeg bor [adresse] [adresse] og vi"),
        ("Jeg bor på Ølstedgade 5 på femte og vi", "Jeg bor på [adresse] og vi"),
        ("adressen er Fenrisvej 22 sidste opgang og der", "adressen er [adresse] og der"),
        (
            "4922 er de sidste og foran står 311264, min fødselsdag",
            "[CPR] er de sidste og foran står [CPR], min fødselsdag",
        ),
        (
            "Slutningen er 0964 … og starten er 190459.",
            "Slutningen er [CPR] … og starten er [CPR].",
        ),
        (
            "my birthday, the ninth of October 1979, and then dash 6620, I",
            "my birthday, [CPR], I",
        ),
        (
            "han er født 041208 og hans sidste fire er 3652",
            "han er født [CPR] og hans sidste fire er [CPR]",
        ),
        ("et hus på Grenåvej fire hundrede og tolv", "et hus på [adresse]"),
        ("til Kaløgade 5, 1. og jeg", "til [adresse] og jeg"),
        ("min email er sofie, snabel-a, jubii, punktum, dk.", "min email er [e-mail]."),
        # Numbers read out in pieces, corrected, from abroad, or said again.
        (
            "14 08 og 93 og så 11 62, det er hans personnummer",
            "[CPR] og [CPR], det er hans personnummer",
        ),
        ("mors cpr er 180438 og hun er 87", "mors cpr er [CPR] og hun er 87"),
        (
            "31 10 79 nej vent, 31 01 79, januar altså, og så 3356.",
            "[CPR], januar altså, og så [CPR].",
        ),
        ("mit nummer er 52 88 10... nej 52 88 01 19, tak", "mit nummer er [telefon], tak"),
        ("mój numer to plus czterdzieści osiem 512 330 871, ja", "mój numer to [telefon], ja"),
        (
            "fem et, ni nul, tre tre, to en, det er mit nummer, fem et ni nul.",
            "[telefon], det er mit nummer, [telefon].",
        ),
        (
            "mein CPR-Nummer ist null drei, null sieben, achtundachtzig, vier eins eins null, ich",
            "mein CPR-Nummer ist [CPR], ich",
        ),
        # Addresses: a correction, a neighbour's number, a list of houses.
        ("Frederiks Allé 90, nej 80, jeg er lige flyttet", "[adresse], jeg er lige flyttet"),
        (
            "jeg bor på Tingvej 9 og min nabo på nummer 11 larmer",
            "jeg bor på [adresse] og min nabo på [adresse] larmer",
        ),
        ("vi bor på Hasselager Allé 23, 25 og 27, og vi", "vi bor på [adresse], og vi"),
        # One's own name, even when a public figure has it too.
        ("jeg hedder Kim Larsen, ikke ham sangeren", "jeg hedder [navn], ikke ham sangeren"),
        ("tôi là Nguyễn Văn Minh, I live in Aarhus V", "tôi là [navn], I live in Aarhus V"),
        # From the fifth corpus: CPR numbers corrected, in halves, with a four-digit year.
        ("2 3 1 1 9 2 øh 3 8 0 7, nej vent, 3 8 0 8 undskyld", "[CPR], nej vent, [CPR] undskyld"),
        (
            "nummeret er 290280, ja jeg er skudårsbarn, og så 3315.",
            "nummeret er [CPR], ja jeg er skudårsbarn, og så [CPR].",
        ),
        (
            "med hele årstallet, 17071962-1985, er det rigtigt",
            "med hele årstallet, [CPR], er det rigtigt",
        ),
        ("hendes cpr er ni marts seksogtredive og så nul seks nul to.", "hendes cpr er [CPR]."),
        ("telefonnummer +45 (0) 53 12 77 08.", "telefonnummer [telefon]."),
        (
            "det er mette77@gmail.com, nej 78, jeg er født i 78.",
            "det er [e-mail], jeg er født i 78.",
        ),
        ("adressen er Lindevangsvej 2 0 4, altså 204.", "adressen er [adresse]."),
        ("Bispehavevej 11, 6. 612, det er i højhuset.", "[adresse], det er i højhuset."),
        ("Storm og Sommer er mine tvillinger og de", "[navn] og [navn] er mine tvillinger og de"),
        ("Pham Thi Lan, I have a nail shop", "[navn], I have a nail shop"),
        ("min kollega Pieter van der Berg er hollænder", "min kollega [navn] er hollænder"),
        # From the sixth and seventh corpora: digits said twice, numbers from abroad, a
        # number begun then said whole, CPR numbers in pieces and after "første seks".
        ("ring på double four, one two, double seven, five six.", "ring på [telefon]."),
        ("mit svenske nummer er 0046 70 123 45 67, ring", "mit svenske nummer er [telefon], ring"),
        ("nummeret er 26... vent lige... 26 41 88 30. Tak.", "nummeret er [telefon]. Tak."),
        (
            "de første seks er 120478 og løbenummeret er 3311",
            "de første seks er [CPR] og løbenummeret er [CPR]",
        ),
        (
            "cpr 150379... jeg skal lige se... 4 2... 1 8. Det",
            "cpr [CPR]... jeg skal lige se... [CPR]. Det",
        ),
        # E-mail addresses at a webmail provider said without a dot, or dropped half-way.
        ("min mail er lonepedersen på hotmail, og så", "min mail er [e-mail], og så"),
        ("skriv til ib snabel a gmail com om det", "skriv til [e-mail] om det"),
        # Addresses with the floor and door in any order, a spoken postcode, a late number.
        ("jeg bor på Tordenskjoldsgade 9, opgang B, 2. sal, dør 4.", "jeg bor på [adresse]."),
        ("Helgavej 3, otte to et nul Aarhus V, og", "[adresse], og"),
        (
            "Vi bor på Hjortensgade, ude ved skolen, nummer 12, og",
            "Vi bor på [adresse], ude ved skolen, [adresse], og",
        ),
        # Names: kinship after the name, a parent's name, nicknames, Danish word order.
        ("Fatma teyze i stuen har en kat", "[navn] teyze i stuen har en kat"),
        ("Umm Yusuf fra nummer 4 siger det også", "[navn] fra nummer 4 siger det også"),
        (
            "han hedder Władysław, men alle siger bare Wladek",
            "han hedder [navn], men alle siger bare [navn]",
        ),
        ("og så sagde jonna at vi skulle ringe", "og så sagde [navn] at vi skulle ringe"),
        ("Gitte min nabo og jeg ringer om lyset", "[navn] min nabo og jeg ringer om lyset"),
        ("det staves K som i Karl, I som i Ida, M som i Mette.", "det staves [navn]."),
        # From the eighth and ninth corpora: number words run together, a card read aloud,
        # a local part said before "snabel-a", a middle initial, names between commas.
        ("cpr er nultotolvfemogfirs nulnitretre, tak", "cpr er [CPR], tak"),
        ("øh 21 punktum 04 punktum 77 streg 3 3 1 2 står der", "øh [CPR] står der"),
        ("den er jens.holm. Og så snabel-a gmail punktum com.", "den er [e-mail]. Og så [e-mail]."),
        ("Det er Anne B. Kruse, og jeg vil", "Det er [navn], og jeg vil"),
        (
            "viceværten i opgangen, Bent, siger det også",
            "viceværten i opgangen, [navn], siger det også",
        ),
        # From the tenth and eleventh corpora: said twice, read in two languages, e-mail
        # addresses Whisper mishears, a public figure's name that is someone else's.
        (
            "de sidste fire er 3-3-0-8, altså tre tre nul otte, og",
            "de sidste fire er [CPR], og",
        ),
        ("nummer fem et, tolv, otte, ni... altså 51 12 08 09, tak", "nummer [telefon], tak"),
        ("my number is toogtyve, sixty-one, atten, zero four, ok", "my number is [telefon], ok"),
        ("skriv til per.moeller(at)gmail.com om det", "skriv til [e-mail] om det"),
        ("mailen er hanne underscore k at g mail dot com, tak", "mailen er [e-mail], tak"),
        (
            "Min fætter hedder Lars Løkke, ikke ham politikeren, og",
            "Min fætter hedder [navn], ikke ham politikeren, og",
        ),
        ("hans veninde Juni bor også her", "hans veninde [navn] bor også her"),
        # From the seventeenth corpus: numbers read out in a newcomer's first language, and
        # a caller's CPR number said after a case number.
        (
            "annemin cpr'si sıfır dokuz, on bir, yetmiş iki, ve sonra üç beş bir sekiz",
            "annemin cpr'si [CPR], ve sonra [CPR]",
        ),
        ("zadzwoń, pięć dwa, osiem osiem, trzy zero, jeden cztery", "zadzwoń, [telefon]"),
        ("номер cpr тридцять один, нуль три, вісімдесят, два два сім нуль", "номер cpr [CPR]"),
        # E-mail addresses with "@" and the dot said abroad, misheard, or said in pieces.
        ("mój mail ola.nowak małpa wp kropka pl, dziękuję", "mój mail [e-mail], dziękuję"),
        ("пишіть petro.k собака ukr крапка net, дякую", "пишіть [e-mail], дякую"),
        ("mailen er tine.b snabel a hot male punktum dk, ok", "mailen er [e-mail], ok"),
        ("skriv til lone.h a med en ring om gmail dåt com", "skriv til [e-mail]"),
        (
            "Skriv til mig. Det er jens punktum p. Og så snabel a gmail punktum com. Tak.",
            "Skriv til mig. Det er [e-mail]. Og så [e-mail]. Tak.",
        ),
        (
            "ib punktum dal, og så er den, øh, snabel-a, og så er det post prik tele punktum dk.",
            "[e-mail], og så er den, øh, [e-mail].",
        ),
        # Tens as Whisper splits them and as newcomers say them; four digits said twice.
        (
            "ring på en og halv fems, to og halv fems, nul fire, tretten tak",
            "ring på [telefon] tak",
        ),
        (
            "mit nummer er fem og tyve fire og treti nul otte tyve, ok",
            "mit nummer er [telefon], ok",
        ),
        (
            "cpr elleve nul ni halvtreds fem, bindestreg, syv syv nul en, tak",
            "cpr [CPR], tak",
        ),
        (
            "cpr toogtyve nul ni fireogfirs og så sześć jeden siedem dwa, seks en syv to, ja",
            "cpr [CPR], ja",
        ),
        (
            "sara.k, k for Knudsen, min fars navn, og så @gmail.com, tak",
            "[e-mail], [navn], min fars navn, og så [e-mail], tak",
        ),
        ("nummeret er27419306 eller det var det", "nummeret er[telefon] eller det var det"),
        ("mit cpr.nr.er0603894417 og så", "mit cpr.nr.er[CPR] og så"),
        (
            "jeg hedder lasse mølgaard og jeg er fra Lystrup",
            "jeg hedder [navn] og jeg er fra Lystrup",
        ),
        ("Jeg bor Dirch Passers Allé 18, 5. 2, altså", "Jeg bor [adresse], altså"),
        # CPR halves named as such, "null" as Whisper spells "nul", an e-mail without its at.
        (
            "Første del er 120488. Det er min fødselsdag. Anden del er 3317. Tak.",
            "Første del er [CPR]. Det er min fødselsdag. Anden del er [CPR]. Tak.",
        ),
        ("null to null fire otteogfirs tre tre en syv, det er mit cpr", "[CPR], det er mit cpr"),
        # in pairs, "firs fire fire" is 80 44, not 84 4
        ("null seks null to firs fire fire null otte det er mit cpr", "[CPR] det er mit cpr"),
        (
            "Den er ninakjaer gmail.com, med snabel-a imellem",
            "Den er [e-mail], med snabel-a imellem",
        ),
        (
            "Jeg bor på Jernbanegade… nummer 7, lige over bageren",
            "Jeg bor på [adresse], lige over bageren",
        ),
        ("Efternavnet… Dahl, tror jeg", "Efternavnet… [navn], tror jeg"),
        # From dev21: spelling commas, a glued "snabela", a pause that asks for the number.
        (
            "e-mailen er ali punktum ak, snabel, a, gmail, punktum, com, og",
            "e-mailen er [e-mail], og",
        ),
        ("min mail: mariam snabelagmail.com. det er", "min mail: [e-mail]. det er"),
        ("jeg bor på Søndervangs Allé, hvad hedder det, 44, stuen, og", "jeg bor på [adresse], og"),
        ("I live in Jettesvej 2, 4th floor, and", "I live in [adresse], and"),
        # From dev25: slow dictation, pieces of one number with pauses between are one span;
        # a number Whisper split, a back house and its floor.
        (
            "personnummeret langsomt: nul... ni... nul... to... fire... otte... streg... tre... "
            "tre... to... et. Tak",
            "personnummeret langsomt: [CPR]. Tak",
        ),
        (
            "adressen er Frederiks Allé otte og halvtreds, fjerde sal, og",
            "adressen er [adresse], og",
        ),
        (
            "rotter i gården ved Guldsmedgade 23, baghuset, 1. sal, og",
            "rotter i gården ved [adresse], og",
        ),
        # From dev24: an English house number, a door by number, "point", "g mail dk".
        ("my address is Tranekær Ringvej fifteen, apartment 2B, ok", "my address is [adresse], ok"),
        ("jeg bor Hasle Ringvej 68, fjerde sal, dør nummer tre og", "jeg bor [adresse] og"),
        ("min mail er jonas point h at hotmail point dk og", "min mail er [e-mail] og"),
        ("min mail det er laura 99 snapple a g mail dk, tak", "min mail det er [e-mail], tak"),
        ("my supervisor professor Lindqvist says so", "my supervisor [navn] says so"),
        # A number glued to its word, a name given as either of two, a nickname.
        ("ring på telefon41558720 i aften", "ring på telefon[telefon] i aften"),
        ("min nabo Aksel eller Bent, jeg ved ikke", "min nabo [navn], jeg ved ikke"),
        ("men alle danskere siger bare Gosia, fint", "men alle danskere siger bare [navn], fint"),
        ("Det er Ørnereden 3, øh nej, 13, og", "Det er [adresse], og"),
        # Floors and doors written or said abroad, a corrected number, a number and a floor.
        ("vi bor på Åboulevarden 71, 5.2 ved åen", "vi bor på [adresse] ved åen"),
        ("mieszkam Ryesgade 9, mieszkanie 4, w centrum", "mieszkam [adresse], w centrum"),
        ("Fenrisvej 31, nej undskyld 13, 2. th. og", "[adresse] og"),
        ("jeg bor i 12, anden sal, og det trækker", "jeg bor i [adresse], og det trækker"),
        ("Vi bor på Byleddet 4 ved skolen", "Vi bor på [adresse] ved skolen"),
        # Nicknames, and formulas in Vietnamese and Arabic.
        (
            "men danskerne siger bare Mika, det er fint",
            "men danskerne siger bare [navn], det er fint",
        ),
        ("vi kalder Pølse-Poul, han sidder der", "vi kalder [navn], han sidder der"),
        ("dạ em tên là Hương, em ở Viby", "dạ em tên là [navn], em ở Viby"),
        ("ana ismi karim, og det er om bussen", "ana ismi [navn], og det er om bussen"),
        (
            "sagsnummer 2024/11873 og mit cpr er 120583-4471, tak",
            "sagsnummer 2024/11873 og mit cpr er [CPR], tak",
        ),
        # A number dialled abroad, or said to be someone's, after talk of a receipt; two
        # numbers with a correction between, which hold no CPR number between them.
        (
            "han vil have en kvittering, hans nummer er +90 555 312 48 19. Tak",
            "han vil have en kvittering, hans nummer er [telefon]. Tak",
        ),
        (
            "Mit nummer er 53 27 18 04, nej undskyld, 53 27 81 04, jeg bytter om",
            "Mit nummer er [telefon], jeg bytter om",
        ),
        # E-mail said in Spanish or Portuguese, glued, its ending misheard, a local part
        # that begins like a filler.
        (
            "skriv til ana beatriz punto souza arroba gmail punto com hvis",
            "skriv til [e-mail] hvis",
        ),
        ("min mail er mikkel.maler snabelagmail punktumcom, øh", "min mail er [e-mail], øh"),
        ("min mail er mette70 at jubii de ka hvis nogen", "min mail er [e-mail] hvis nogen"),
        ("Den er sanne hyphen ravn snabel a gmail kom. Eller", "Den er [e-mail]. Eller"),
        ("skriv til um.yusuf2015 at gmail punktum com. Tak", "skriv til [e-mail]. Tak"),
        # Who someone is after "han er", a name in lower case before who they are, a job,
        # a surname that is a word after "familien" and again after a first name, a name told
        # by its letters.
        ("Jeg ringer om Hans, han er min bror, og", "Jeg ringer om [navn], han er min bror, og"),
        ("ni. sebastian min søn siger det", "ni. [navn] min søn siger det"),
        ("og sundhedsplejersken Ane er god", "og sundhedsplejersken [navn] er god"),
        (
            "nabo til familien lund i Åbyhøj. Jens lund giver os æg",
            "nabo til [navn] i Åbyhøj. [navn] giver os æg",
        ),
        (
            "jeg er Bo Sand, bo med et b og et o, haha",
            "jeg er [navn], [navn] med et b og et o, haha",
        ),
        # The day of a CPR number said as one digit; a number abroad said in hundreds; a
        # number given in halves; pairs with dots before the word; the country code apart.
        ("Det er ni ti otteogfyrre, øhm, tolv seksogtres. Jeg er 76", "Det er [CPR]. Jeg er 76"),
        (
            "mit nummer er plus otteogfyrre fem hundrede tolv, tre hundrede femogfyrre, "
            "seks hundrede otteoghalvfjerds.",
            "mit nummer er [telefon].",
        ),
        (
            "De første fire er 4287 og de sidste fire er 1190.",
            "De første fire er [telefon] og de sidste fire er [CPR].",
        ),
        (
            "25.43.61.90 er mit nummer, ring efter kl. 17.30.",
            "[telefon] er mit nummer, ring efter kl. 17.30.",
        ),
        (
            "Øh det er plus femogfyrre foran og så 31 20 44 87.",
            "Øh det er [telefon] foran og så [telefon].",
        ),
        # The rest of an address after a pause; a domain said with a space.
        (
            "Min mail er ib.thomsen snabel-a øh... hvad er det nu... gmail.com.",
            "Min mail er [e-mail].",
        ),
        ("k.a.n.dersen at stofa net punktum dk, altså", "[e-mail], altså"),
        # A postcode in pairs, after a pause; "stuen midt"; a street abroad.
        ("Det er Tranbjerg Hovedgade 41, treogfirs ti Tranbjerg.", "Det er [adresse]."),
        ("Rosenvangs Allé 11, første sal, øh, otte to syv nul Højbjerg.", "[adresse]."),
        ("Randersvej 371 stuen midt, og der", "[adresse], og der"),
        ("my address is Via Roma 14, 20121 Milano, but", "my address is [adresse], but"),
        # A first name before a surname found, a name that signs contact details, a public
        # figure's name that is not theirs, a surname that is a word said again.
        (
            "Please call Hiroshi Tanaka at +81 90 1234 5678, or email h.tanaka@kyoto-u.ac.jp.",
            "Please call [navn] at [telefon], or email [e-mail].",
        ),
        ("Bjørn, +45 50 11 22 38, bjorn.aa@gmail.com.", "[navn], [telefon], [e-mail]."),
        ("Kaj, Kaj Munk... nej ikke præsten, ha ha", "[navn], [navn]... nej ikke præsten, ha ha"),
        ("Det er Bo, Bo Skov, og jeg ringer", "Det er [navn], [navn], og jeg ringer"),
        # Names that are words where only a person stands: saying, doing, "mig og …",
        # "det var … der", two joined by "og" at a sentence's start; a first name and a
        # surname by its ending, both in lower case.
        ("og så sagde lærke at der lå glas", "og så sagde [navn] at der lå glas"),
        ("Hans og hans kone har klaget", "[navn] og hans kone har klaget"),
        ("Mig og storm var nede ved vandet", "Mig og [navn] var nede ved vandet"),
        ("Sol og Ask går i børnehave", "[navn] og [navn] går i børnehave"),
        ("Mark har slået græsset på marken", "[navn] har slået græsset på marken"),
        ("det var kim der fandt katten", "det var [navn] der fandt katten"),
        ("Bo bor lige ved siden af og han", "[navn] bor lige ved siden af og han"),
        ("anders mølgaard fra foreningen har lovet", "[navn] fra foreningen har lovet"),
        # "@" said "at-tegnet" or heard as "snabel og", after a pause; a street in lower case.
        ("jens snabel og stofa punktum net, stofa med f.", "[e-mail], stofa med f."),
        ("my email, ahmed.k.1990 ... snabel a gmail.com, I", "my email, [e-mail], I"),
        ("vibeke at-tegnet tdcadsl punktum dk, i ét ord", "[e-mail], i ét ord"),
        ("Vi bor på lyseng allé 3 og vi vil", "Vi bor på [adresse] og vi vil"),
        # "snabler"; the rest of an address after its start; who someone was married to; a
        # house number "et og tyve"; a street in -holtet; the floor someone lives on.
        ("Øh peter holm snabler gmail punktum com, og så", "Øh [e-mail], og så"),
        (
            "Min mail starter med mette og så snabel-a jubii punktum dk, den",
            "Min mail starter med [navn] og så [e-mail], den",
        ),
        ("jeg var gift med Kaj i 52 år", "jeg var gift med [navn] i 52 år"),
        (
            "min adresse er Carl Blochs Gade et og tyve, anden sal til højre, og",
            "min adresse er [adresse], og",
        ),
        ("Fyrreholtet 12 i Hjortshøj, der bor jeg", "[adresse], der bor jeg"),
        # A first name before a surname found; who they are, then where; staff by where they
        # stand; "snabel og a"; a basement flat written "kl.".
        (
            "Jeg ringer om Per Skov, han er min bror, og",
            "Jeg ringer om [navn], han er min bror, og",
        ),
        (
            "ringer for Chen Yu, hun er min kollega på AU",
            "ringer for [navn], hun er min kollega på AU",
        ),
        (
            "i Tranbjerg og Helle ved skranken hjalp mig",
            "i Tranbjerg og [navn] ved skranken hjalp mig",
        ),
        ("Det er tina snabel og a jubii punktum dk, jeg", "Det er [e-mail], jeg"),
        ("Vores kælderlejlighed, Ryhavevej 3 kl., står", "Vores kælderlejlighed, [adresse], står"),
        # CPR: the four "bagefter", "and last four", "de første seks," and the birth date
        # whole ("født den 2. december 1949").
        (
            "født niende oktober 56 og nummeret bagefter er 1170, det",
            "født [CPR] og nummeret bagefter er [CPR], det",
        ),
        ("CPR, is 120584 and last four 1287. I", "CPR, is [CPR] and last four [CPR]. I"),
        ("kun de første seks, 220885, resten", "kun de første seks, [CPR], resten"),
        (
            "født den 2. december 1949, de sidste fire er 2231, og",
            "født [CPR], de sidste fire er [CPR], og",
        ),
        # Addresses: "kld.", the house on the plot, a bare floor, a door "nummer 3" or
        # "3.12", a number corrected with "nummer", a floor or side after "øh", a home by
        # a public building.
        ("på Skt. Pauls Gade 16, kld. står under vand", "på [adresse] står under vand"),
        ("Det er Mejlgade 27, 1. th., bagbygningen, og", "Det er [adresse], og"),
        ("jeg bor på Elmegade 5, 1, mail mig", "jeg bor på [adresse], mail mig"),
        ("Jeg bo Gudrunsvej 16, 7 sal, nummer 3. Der", "Jeg bo [adresse]. Der"),
        ("I live at Hasle Ringvej 2 C, apartment 3.12, my", "I live at [adresse], my"),
        ("Det er Vestergade 12, nej undskyld, nummer 13.", "Det er [adresse]."),
        ("i Gellerup, Dortesvej 3 øh til venstre.", "i Gellerup, [adresse]."),
        (
            "og bor lige bag Rådhuset på Sønder Allé 9, 5. sal, og",
            "og bor lige bag Rådhuset på [adresse], og",
        ),
        # Names: "faktisk", "men ikke hende …", "bare sig …", staff in the kiosk.
        (
            "Jeg hedder faktisk Mette Frederiksen, men ikke hende statsministeren",
            "Jeg hedder faktisk [navn], men ikke hende statsministeren",
        ),
        ("det er svært, bare sig Slava. Min", "det er svært, bare sig [navn]. Min"),
        ("Rose i kiosken ved stoppestedet giver", "[navn] i kiosken ved stoppestedet giver"),
        # E-mail: "@" misheard, pauses around it.
        ("Det er kirstenbach ... øh ... snabel-a ... outlook.dk.", "Det er [e-mail]."),
        ("bo.thomsen snabel-æ mail punktum dk og", "[e-mail] og"),
        ("yasmin.khalil snablen gmail.com det er", "[e-mail] det er"),
        ("Hun hedder Fatma... nej Fadumo, folk", "Hun hedder [navn]... nej [navn], folk"),
        (
            "Min svigerfar bor på Christian den Tiendes Vej hundrede og atten og",
            "Min svigerfar bor på [adresse] og",
        ),
        # English: "people call me", "mister", "his name was"; doors, rooms, staircases and
        # floors as students give them.
        (
            "This is Oluwaseun, people call me Seun, and",
            "This is [navn], people call me [navn], and",
        ),
        ("our landlord is mister Kjær, we pay", "our landlord is [navn], we pay"),
        (
            "the driver, I think his name was Kim, said",
            "the driver, I think his name was [navn], said",
        ),
        ("We are at Randersvej 148, staircase C, apartment 22, and", "We are at [adresse], and"),
        ("in the dorm at Skjoldhøjvej 37, room 1412, and", "in the dorm at [adresse], and"),
        ("my address... Guldsmedgade 30, 3rd, sorry", "my address... [adresse], sorry"),
        ("vi bor på Ryesgade 3 ... lejlighed 4 ... i Hasle.", "vi bor på [adresse] ... i Hasle."),
        # An address in pieces: the number after a remark ("det er 140", "husnummer 19"),
        # then floor, side and door one by one.
        (
            "Snerydningen mangler hos mig på Skjoldhøjvej, det er 140, 1. sal, og der",
            "Snerydningen mangler hos mig på [adresse], [adresse], og der",
        ),
        (
            "Det er ved mig, Fenrisvej i Viby... husnummer 19. Der",
            "Det er ved mig, [adresse] i Viby... [adresse]. Der",
        ),
        ("Vi bor på Ryesgade 3, og så fjerde, lejlighed 11, og", "Vi bor på [adresse], og"),
        # A number begun, broken off by a remark, then said whole; a name said again
        # between commas.
        (
            "jeg vil gerne ringes op på fireogtyve... der kommer en ambulance... 24 51 33 07.",
            "jeg vil gerne ringes op på [telefon]... der kommer en ambulance... [telefon].",
        ),
        (
            "Hi, my name is Sita Raman, Sita, Raman, and I",
            "Hi, my name is [navn], [navn], [navn], and I",
        ),
        (
            "om min nevø, Mathias, Thias, hans CPR er 120304-1234",
            "om min nevø, [navn], [navn], hans CPR er [CPR]",
        ),
        (
            "ud for Ryesgade 12, hvor jeg bor på tredje sal, og det",
            "ud for [adresse], hvor jeg bor på [adresse], og det",
        ),
        (
            "mit nummer er fireogtyve, seks hundrede og treogfirs, fem hundrede og ni, ja?",
            "mit nummer er [telefon], ja?",
        ),
        (
            "kirsten.moeller@stofanet.dk, Møller med o e, og rasmuslund@outlook.dk, lund som i ås",
            "[e-mail], [navn] med o e, og [e-mail], [navn] som i ås",
        ),
        ("hamid dot n at gmail dot com, N for Naseri, tak", "[e-mail], [navn], tak"),
        ("sanne.l snabelen jubii.dk tak", "[e-mail] tak"),
        ("min mail er gitte grisehale jubii punktum dk, tak", "min mail er [e-mail], tak"),
        ("mail oksana krapka kovalenko ravlyk ukr krapka net, tak", "mail [e-mail], tak"),
        (
            "min mail er signe.dahl@mail.dk, Signe med g, s i g n e.",
            "min mail er [e-mail], [navn] med g, [navn].",
        ),
        (
            "det er Rasmus Lund, rasmuslund@outlook.dk, alt i et ord, lund som i skov",
            "det er [navn], [e-mail], alt i et ord, [navn] som i skov",
        ),
        (
            "jeg ringer om min mors plads, hun hedder Gudrun Mikkelsen",
            "jeg ringer om min mors plads, hun hedder [navn]",
        ),
        ("arbejdet, 86 12 34 56 lokal 214, spørg", "arbejdet, [telefon] lokal [telefon], spørg"),
        (
            "Vi bor på Fenrisvej 40, lige over for Skovbakkeskolen, 8210 Aarhus V.",
            "Vi bor på [adresse], lige over for Skovbakkeskolen, [adresse].",
        ),
        (
            "Adressen er Tousgårdsvej 9, 1. sal altså 8220 Brabrand, tak",
            "Adressen er [adresse], tak",
        ),
        ("ich wohne Nørregade 38, zweiter Stock, und", "ich wohne [adresse], und"),
        ("Det er Vestergade 60, 2. tv., 8000, ja, Aarhus C, og jeg", "Det er [adresse], og jeg"),
        (
            "så det er Vesterbrogade syvogtres, anden sal til højre, 8000 C, og",
            "så det er [adresse], og",
        ),
        ("Jeg bor på Skjoldhøjkollegiet, værelse 612, og", "Jeg bor på [adresse], og"),
        ("Due hedder jeg, Hans Due, født 120345-1234.", "[navn] hedder jeg, [navn], født [CPR]."),
        (
            "Jeg bor lige over for Dokk1, Mindet 4, 3. tv., og",
            "Jeg bor lige over for Dokk1, [adresse], og",
        ),
        ("Karl på Skovbrynet 7 har bedt mig ringe", "[navn] på [adresse] har bedt mig ringe"),
        (
            "Jeg tog med Karl på Rosenvangskolen 2 gange, og Hanne fra Gellerup 3 gange.",
            "Jeg tog med [navn] på Rosenvangskolen 2 gange, og [navn] fra Gellerup 3 gange.",
        ),
        ("Åboulevarden enogtyve, øverste etage, måger", "[adresse], måger"),
        ("8000 Aarhus C, Frederiksgade 60, 5., altså omvendt", "[adresse], altså omvendt"),
        ("min adresse er Birkevej nummer sytten i 8210 og", "min adresse er [adresse] og"),
        (
            "60.17.44.29 det er mig hvis der er spørgsmål",
            "[telefon] det er mig hvis der er spørgsmål",
        ),
        ("min adresse er Toften 4 og jeg", "min adresse er [adresse] og jeg"),
        ("Jeg bor i lejlighed 44 på Vestergade 12 og", "Jeg bor i [adresse] og"),
        (
            "the address is Carl Blochs Gade 4, second floor, door on the right, my",
            "the address is [adresse], my",
        ),
        ("Eva, Ryesgade 6, 1., 8000, om cykelstien.", "[navn], [adresse], om cykelstien."),
        (
            "Pakken skulle være leveret til Elmegade 12, nitten, men",
            "Pakken skulle være leveret til [adresse], men",
        ),
        (
            "Vi bor nu på Egevej 4, halvtreds B, i Lystrup, og",
            "Vi bor nu på [adresse], i Lystrup, og",
        ),
        ("Address is Bülowsgade 12... no, twenty-six, that is", "Address is [adresse], that is"),
        (
            "Jeg bor på Vestergade 12, 3 gange har jeg ringet.",
            "Jeg bor på [adresse], 3 gange har jeg ringet.",
        ),
        # an address said in pieces, with pauses, corrections and remarks
        (
            "min adresse er Ryesgade... nej, jo, Ryesgade er rigtigt... nummer 19... stuen til "
            "venstre.",
            "min adresse er [adresse]... nej, jo, [adresse] er rigtigt... [adresse].",
        ),
        (
            "Vi bor på Lollandsgade, nej undskyld, Langelandsgade, nej, Lollandsgade var "
            "rigtigt, nr. 31.",
            "Vi bor på [adresse], nej undskyld, [adresse], nej, [adresse] var rigtigt, [adresse].",
        ),
        ("it's Jens Baggesens Vej 88, ground floor, 8210, yeah", "it's [adresse], yeah"),
        ("Adressen er Bøgeskovvej hvad er det tooghalvtreds st. mf.", "Adressen er [adresse]"),
        ("Husnummer 12 på Marselis Boulevard, det store gule hus", "[adresse], det store gule hus"),
        ("Adressen er Nørregade 4 øh baghuset, 2. sal.", "Adressen er [adresse]"),
        ("Det er Nørregade 4 øh A, stuen.", "Det er [adresse]."),
        ("jeg bor på Vestergade 3, sal 3, nej 3. sal, og", "jeg bor på [adresse], og"),
        (
            "Jeg bor på Tordenskjoldsgade og træerne er fældet, og jeg bor i nummer 14 så jeg",
            "Jeg bor på [adresse] og træerne er fældet, og jeg bor i [adresse] så jeg",
        ),
        (
            "Jeg bor på Randersvej, altså ikke inde i byen men helt ude ved Vejlby, nummer 318.",
            "Jeg bor på [adresse], altså ikke inde i byen men helt ude ved Vejlby, [adresse].",
        ),
        (
            "Storm hedder min søn, ja ligesom vejret, og",
            "[navn] hedder min søn, ja ligesom vejret, og",
        ),
        # Danish first names Faker and Mimesis lack, from nam_dict.txt
        ("jeg ringer for Ejvind, han kan ikke selv", "jeg ringer for [navn], han kan ikke selv"),
        (
            "hans henrik hedder jeg og jeg er træt af måger",
            "[navn] hedder jeg og jeg er træt af måger",
        ),
        ("per kjeldsen fra Tilst, jeg vil bare høre", "[navn] fra Tilst, jeg vil bare høre"),
        ("Ja hej det er Line Bak øh Lindholm og jeg ringer", "Ja hej det er [navn] og jeg ringer"),
        (  # the rules find the name after "calls me"; the reader, the one it stands for
            "Oluwaseun, but everybody calls me Seun, and I",
            "[navn], but everybody calls me [navn], and I",
        ),
        ("født 13. 4. 1944 og så 1823, mit hus er", "født [CPR], mit hus er"),
        (
            "der er mit kørekort i, Kim Ravn, Vestergade 12, hvis nogen finder den.",
            "der er mit kørekort i, [navn], [adresse], hvis nogen finder den.",
        ),
        (
            "ja det er Ebbe Rask, ebbe rask, og jeg ringer",
            "ja det er [navn], [navn], og jeg ringer",
        ),
        ("faren hedder Rahim, moren Zarghuna, de bor", "faren hedder [navn], moren [navn], de bor"),
        ("jeg er mor til Storm på fem, og", "jeg er mor til [navn] på fem, og"),
        ("hej det er lille Mille og", "hej det er lille [navn] og"),
        # who did something, a name after "vist", "X here" after a greeting
        ("Det var Lille-Mads der fandt katten.", "Det var [navn] der fandt katten."),
        (
            "Viceværten hedder vist Per, Per Kaalund, og",
            "Viceværten hedder vist [navn], [navn], og",
        ),
        (
            "hej Oluwaseun here, I study at Aarhus Universitet",
            "hej [navn] here, I study at Aarhus Universitet",
        ),
        (
            "Mine fire sidste er 4412 og fødselsdatoen er andet i niende femoghalvfjerds.",
            "Mine fire sidste er [CPR] og fødselsdatoen [CPR].",
        ),
        (
            "mit nummer starter med 40... og så 71... så fortæller jeg om rutsjebanen, den har "
            "et hul, og sidst er det 22 16.",
            "mit nummer starter med [telefon]... så fortæller jeg om rutsjebanen, den har et "
            "hul, og sidst er det [telefon].",
        ),
        ("anna. h@gmail. com det er min mail", "[e-mail] det er min mail"),
        (
            "Det staves k a s p e r snabel-a live punktum dk, kasper med k.",
            "Det staves [e-mail], [navn] med k.",
        ),
        (
            "de første seks er elleve tolv halvfjerds og de sidste fire 2231 og så",
            "de første seks er [CPR] og de sidste fire [CPR] og så",
        ),
        (
            "Den sidste del af mit cpr er 3346 og første del er 120345.",
            "Den sidste del af mit cpr er [CPR] og første del er [CPR].",
        ),
        (
            "and the four digits after the dash are six one six six.",
            "and the four digits after the dash are [CPR].",
        ),
        (
            "jeg blev født den trettende juli nul fire og så er det fireogfyrre toogtyve til sidst",
            "jeg blev født [CPR] til sidst",  # the reader hides the date's "den" with it
        ),
        # a birth date with its year is personal by itself, with no CPR number after it
        (
            "Jeg er født den 1. oktober 1940 og har boet i Risskov hele mit liv.",
            "Jeg er født den [CPR] og har boet i Risskov hele mit liv.",
        ),
        (
            "Hun er født sjette marts nitten hundrede og seksogtyve, og hun bor alene.",
            "Hun er født [CPR], og hun bor alene.",
        ),
        ("I was born on the 3rd of August 1987 in Leeds.", "I was born on the [CPR] in Leeds."),
        (  # the century in one word, as Whisper writes it at times
            "jeg er født første juli nittenhundrede og otteogfyrre og bor i Tilst",
            "jeg er født [CPR] og bor i Tilst",
        ),
        (
            "Skriv det ned, 41... har du det? 41 22 33 44.",
            "Skriv det ned, [telefon]... har du det? [telefon].",
        ),
        (
            "hvis I ringer til 20 80 nej vent det er det gamle, det nye er 22 33 44 55, det er",
            "hvis I ringer til [telefon] nej vent det er det gamle, det nye er [telefon], det er",
        ),
        # a false start corrected just before the number
        (
            "Mit nummer er 28 3 nej undskyld 28 31 40 12, jeg er forvirret",
            "Mit nummer er [telefon], jeg er forvirret",
        ),
        # scattered.py: an e-mail address said in pieces across a message
        (
            "Min mail, den starter med anneliselarsen, alt i et ord, og så er det hos gmail, "
            "og så punktum com til sidst.",
            "Min mail, den starter med [e-mail], alt i et ord, og så er det hos [e-mail], "
            "og så [e-mail] til sidst.",
        ),
        ("Før snabel-a står der gitte100, altså", "Før snabel-a står der [e-mail], altså"),
        (
            "min mail begynder med ole og så kommer der punktum og så fisker, og havnebadet er "
            "for dyrt, og til sidst er det snabel-a city punktum dk.",
            "min mail begynder med [navn] og så kommer der punktum og så [e-mail], og havnebadet "
            "er for dyrt, og til sidst er det [e-mail].",
        ),
        ("Min mail, vent, j o h a n n e... og", "Min mail, vent, [e-mail]... og"),
        ("peterskovgaardgmailcom det er min mail", "[e-mail] det er min mail"),
        ("cecilie snable a icloud punktum com ja tak", "[e-mail] ja tak"),
        (
            "the first part is jojo underscore aarhus and then at gmail dot com, okay?",
            "the first part is [e-mail] and then [e-mail], okay?",
        ),
        (
            "the first part is jojo and then at gmail dot com, okay?",
            "the first part is jojo and then [e-mail], okay?",
        ),
        (
            "Skriv til bo@dig.dk... er det hotmail? Ja, hotmail.dk.",
            "Skriv til [e-mail]... er det [e-mail]? Ja, [e-mail].",
        ),
        (
            "skriv til trafik snabel-a aarhus punktum dk, men jeg",
            "skriv til trafik snabel-a aarhus punktum dk, men jeg",
        ),
        # handles.py: names people go by online
        ("min gamertag er Sn1perKing_Aar og vi", "min gamertag er [navn] og vi"),
        ("han går under navnet HusseinTheDream på TikTok", "han går under navnet [navn] på TikTok"),
        (
            "jeg spiller med QuickScopeQueen og DanskDreng07 hver aften",
            "jeg spiller med [navn] og [navn] hver aften",
        ),
        (
            "mit CPR det er nulsyv nulotte nulseks tolv fireogtredive, jeg",
            "mit CPR det er [CPR], jeg",
        ),
        ("born 14 March 2016, last four 6 2 1 7, we", "born [CPR], last four [CPR], we"),
        (
            "I was born 12th of March 1990, last four 5523, in",
            "I was born [CPR], last four [CPR], in",
        ),
        (
            "jeg bor på Ryesgade 3 og min nabo nedenunder på 3. tv. har skimmel",
            "jeg bor på [adresse] og min nabo nedenunder på [adresse] har skimmel",
        ),
        (
            "han bor i stuen til højre på Ryesgade 3, ring til mig",
            "han bor i [adresse] på [adresse], ring til mig",
        ),
        ("Falk her igen, jeg ringede i går.", "[navn] her igen, jeg ringede i går."),
        (
            "sten her, cpr 120345-1234, der ligger en sten",
            "[navn] her, cpr [CPR], der ligger en sten",
        ),
        (
            "det her er Ulv, mit nummer er 22334455, og",
            "det her er [navn], mit nummer er [telefon], og",
        ),
        # number words in the newcomers' languages (abroad.py): Arabic, Spanish, Somali,
        # Tigrinya
        (
            "رقمي الشخصي ثلاثة صفر صفر سبعة ثمانية تسعة شرطة اثنين واحد ستة خمسة، وأنا",
            "رقمي الشخصي [CPR]، وأنا",
        ),
        (
            "mi teléfono es el cincuenta y tres, veinte, diecinueve, cero ocho, gracias",
            "mi teléfono es el [telefon], gracias",
        ),
        (
            "lambarkaygu waa lix kow, laba kow, saddex saddex, afar lix, i soo wac",
            "lambarkaygu waa [telefon], i soo wac",
        ),
        ("ቁጽረይ ሸሞንተ ሓደ ክልተ ሰለስተ ኣርባዕተ ሓሙሽተ ሽዱሽተ ሸውዓተ እዩ።", "ቁጽረይ [telefon] እዩ።"),
        (
            "Vi bor på Skovvangsvej, nej Skovagervej 14 i Risskov",
            "Vi bor på [adresse], nej [adresse]",
        ),
        (
            "på vegne af Mette, malthe og sofus fra 4.b, og pædagogerne Line, Sanne og Bo",
            "på vegne af [navn], [navn] fra 4.b, og pædagogerne [navn], [navn] og [navn]",
        ),
        (
            "mit nummer er 20 11 69 74, nej 20 11 96 74, og",
            "mit nummer er [telefon], og",
        ),
        (
            "The number is 40 55... sorry, I have a new number, 20 41 66 18.",
            "The number is [telefon]... sorry, I have a new number, [telefon].",
        ),
        (
            "170555, altså min fødselsdag, og så, øh, hvad var det, 3106, ja.",
            "[CPR], altså min fødselsdag, og så, øh, hvad var det, [CPR], ja.",
        ),
        ("født 19. juni 1938 og har 0617 som de sidste", "født [CPR] og har [CPR] som de sidste"),
        (
            "det står på det gule kort, nul syv nul syv syvogfyrre, og så",
            "det står på det gule kort, [CPR], og så",
        ),
        (
            "Vi bor på Skovvangsvej 9, 1. th. Ja, Skovvangsvej, den lange.",
            "Vi bor på [adresse] Ja, [adresse], den lange.",
        ),
        (
            "the e-mail is lukas punkt becker, sorry, that is German, lukas.becker@web.de, and",
            "the e-mail is [e-mail], sorry, that is German, [e-mail], and",
        ),
        (
            "Min mail er rf@work.dk... nej, den private er ras.fog... ras.fog@gmail.com, f.eks.",
            "Min mail er [e-mail]... nej, den private er [e-mail]... [e-mail], f.eks.",
        ),
        (
            "Min mail er h punktum storm... hannestorm@gmail.com, og",
            "Min mail er [e-mail]... [e-mail], og",
        ),
        (
            "Skriv til mettelund78... nej vent, det er mette_lund@hotmail.com, tak",
            "Skriv til [e-mail]... nej vent, det er [e-mail], tak",
        ),
        # A private person's vehicle: a Danish plate by its shape, another number after a
        # word that says what it is.
        ("min nummerplade er CX 41 228 og", "min nummerplade er [nummerplade] og"),
        ("the car DF88190 belongs to", "the car [nummerplade] belongs to"),
        ("cyklen har stelnummer WAA 123 4567, den", "cyklen har stelnummer [nummerplade], den"),
        # A surname alone inside a sentence where a person acts or is placed.
        (
            "den lejeforhøjelse som Holst har sendt ud til hele opgangen",
            "den lejeforhøjelse som [navn] har sendt ud til hele opgangen",
        ),
        ("og så sagde Kofoed fra foreningen nej", "og så sagde [navn] fra foreningen nej"),
        # A name read out as on a form.
        (
            "okay so last name Brandt, first name Ole, surname is Raman",
            "okay so last name [navn], first name [navn], surname is [navn]",
        ),
    ],
)
def test_what_callers_say_in_passing_is_hidden(said: str, published: str) -> None:
    assert redact(said) == published


@pytest.mark.parametrize(
    "said",
    [
        "Kim Larsen sang om at være fri, ikke?",
        "Det var Movia der aflyste bussen, og det er Ikea der har parkeringen.",
        pytest.param(
            "Min hund hedder Storm, og han elsker hundeskoven.",
            # the development corpora name children Storm after "hedder" many times; the rules
            # leave a dog's name, the reader at its threshold of 0.45 does not
            marks=pytest.mark.xfail(reason="a pet called Storm is hidden by the reader"),
        ),
        "Og 13'eren er heller ikke bedre, den kom sent; Tarkan spillede i Tangkrogen.",
        "Adressen er Rådhuspladsen 2 for Borgerservice, skriv til kontaktcenter@aarhus.dk.",
        "Det koster 25 kroner at leje en Donkey Republic cykel i en time.",
        "Min mail? Man sætter punktum og så dk til sidst, siger min søn.",
        "Ring til 112 hvis det brænder, og 1813 om natten.",
        "Skriv til post@aarhus.dk hvis I er enige, og så lander det hos dem der bestemmer.",
        "De første seks måneder var 12 gange værre, og vi kom den 4. juli nul fem gange.",
        "Jeg har en lille Butik på Mejlgade, og Lagkagehuset har overtaget den gamle Bager.",
        "Vi kom den 13. 4. 2024 til mødet, og Hans cykel stod der.",
        # A written address is one word: the word before it is not its local part.
        "Jeg har kontaktet post@aarhus.dk og Borgerservice, men intet svar.",
        "Jeg fik en mail fra noreply@borger.dk om min sag.",
        "Man skal skrive til info snabel-a dokk1 punktum dk for at tilmelde sig.",
        # A verb before a comma cues no name; a monarch is a public figure.
        "Vi skal have flere træer, ask, birk, lind, eg, bare noget grønt.",
        "Dronningen, nej kongen, Frederik, han bor på Marselisborg om sommeren.",
        "Holger Danske sidder i Helsingør, og linje 13 kører til Mollerup.",
        "Caroline Wozniacki har spillet i Ceres Arena",
        "der mangler træer efter stormen Bodil",
        "mellem Clemens Bro og Bruuns Galleri",
        "vi tog til Legoland, min datter elskede det.",
        "det er Netto, jeg handler der hver dag",
        "kommunens omstilling 89 40 20 00 lukker klokken tre",
        "det er lægevagten på 70 11 31 31 om natten",
        "Jeg synes borgmester Anders Winnerskjold skulle tage 2A fra Gellerup.",
        "Nye boliger på Aarhus Ø koster 5 millioner for en toværelses.",
        "Det hedder jeg ikke. Aarhus er min by.",
        # Pets, feasts, book characters, a public building's address, a list of postcodes,
        # a street named after a person, a count after a street.
        "Vores kat Molly sidder altid i vinduet ud mod parken.",
        "Til Mortens aften spiser vi and, og børnene læser Peter Plys.",
        "Borgerservice på Rådhuspladsen 2 har lukket om fredagen.",
        "Postnumrene 8000, 8200 og 8210 får flest nye cykelstier.",
        "På Carl Blochs Gade mangler der lys om aftenen.",
        "Der er 14 huller i cykelstien fra Ceres Park til Sønder Allé, 14, jeg har talt dem.",
        "De første seks måneder af 2024 var der 120 ulykker.",
        # Desks, companies' and tickets' numbers, dates, storms, things named, people on the air.
        "Skriv til kundeservice@midttrafik.dk, så svarer de inden for en uge.",
        "Firmaet har CVR 29 18 44 37 og de graver stadig om natten.",
        "Brevet var dateret 2024-05-17 og kom først i juni.",
        "Efter stormen Bodil kom Gorm i 2015 og væltede resten.",
        "Vores kat hedder Felix og han går ikke over vejen.",
        "Jeg hørte Mads Steffensen fra DR sige at Aarhus er smuk.",
        "Arne Jacobsen og Erik Møller tegnede rådhuset.",
        "Ring 89 40 20 00 som står på skiltet ved indgangen.",
        # Whisper's credits on silence, makers of works, a lamp's number, a spoken count.
        "Undertekster af Amara.org-fællesskabet",
        "Skulpturen af Ron Mueck står på ARoS.",
        "Lampe nummer 1147 på Viborgvej er slukket.",
        "Vi talte 12, 15, 18 og 20 biler i timen ved skolen.",
        "Der kommer 18 alle dage, sagde de.",
        # The city's switchboard, and "Ja" opening a sentence, are no one's.
        "Hvorfor skal man ringe til 89 40 20 00 og vente i 45 minutter?",
        "Lægevagten i Region Midtjylland har nummeret 70 11 31 31, og jeg ventede.",
        "Hvorfor hedder vejen Niels Juels Gade når ingen ved hvem Niels Juel var?",
        "Vi fra Dansk Vietnamesisk Forening holder fest i Globus1 i februar.",
        "Altså, min søster bor i Silkeborg, og hun siger det.",
        "Matador kører igen på DR, og Mads Skjern minder mig om investorerne.",
        "Vores opgang har nummer 14 til 22, og lyset slukker.",
        # A public building's address, a name asked for, a verb after a kinship word.
        "På Aarhus Universitetshospital, Palle Juul-Jensens Boulevard 99, ventede vi.",
        "Jeg ved ikke hvad hun hedder, damen i bageren, men hun er sød.",
        "Pingo var på plakaten, og mit barnebarn ville ikke gå derfra.",
        "Ja, min mor boede på Skovvejen i 1960'erne.",
        # An article after a street is no house number, nor is an amount.
        "Det er dejligt at gå langs Kystvejen en sommermorgen.",
        "I 1968 kostede et hus i Risskov 80.000 kroner.",
        "Et digt af Inger Christensens alfabet ved Dokk1, tak.",
        # Letters after "med" that spell no word said, a family without a name.
        "Vi kom med et b og et c hold til stævnet.",
        "Hele familien har det godt, og min søn går i skole.",
        # Two postcodes, a list of lottery numbers, City Hall's address.
        "Jeg har boet i 8210 og nu 8260, og der er færrest bænke i 8260.",
        "Ugens lottotal var 4, 11, 18, 27, 30 og 33, og jeg havde fire rigtige.",
        "Borgmesteren skal ikke kun sidde på Rådhuspladsen 2.",
        # Weather does things too; a pronoun before a noun; what people think; brands.
        "Frost har ødelagt vejene, og Storm og regn hele dagen.",
        "Hans kone har klaget, og jeg ved ikke hvad folk mener.",
        "Ole Lynggaard og Georg Jensen i vinduerne på Søndergade.",
        "Vi gik en tur ... at se på havnen, og en snabel og en hale.",
        # A name held back; a floor in a message with no address.
        "Hej jeg hedder... nej, jeg siger ikke mit navn. Salling Rooftop er for dyrt.",
        pytest.param(
            "Jeg bor på tredje sal og elevatoren er gået i stykker.",
            # dev98 marks "jeg bor på fjerde sal" as part of a caller's home; trained on it,
            # the reader hides this floor too
            marks=pytest.mark.xfail(reason="a caller's floor said alone is hidden by the reader"),
        ),
        # A month, a verb that ends like a street, a little word after "punktum", museums'
        # and kings' names, a public building's address, a turn after a street.
        "Linje 18 bliver omlagt fra 1. marts, men skiltet siger noget andet.",
        "Jeg tager 2A fra Vejlby hver dag klokken 6.50.",
        "Min søn lærer at skrive snabel-a og punktum på computeren.",
        "Den Gamle By på Viborgvej 2 er fantastisk til jul.",
        "Marselisborg Slot stod færdigt i 1902 som gave til Christian X.",
        "Vi går ned ad Vestergade, øh, til venstre ved kirken.",
        "det var de sidste fire år, og Frederiks Bastion er glat.",
        "Jeg har boet i 8230, 8240 og nu 8260, og der er færrest bænke i 8260.",
        # Who streets and museums are named after, founders, a sign-off by no one, public
        # numbers and addresses.
        "Thomas Jensens Allé er opkaldt efter dirigenten Thomas Jensen, vidste I det?",
        "Det er sjovt at gaden hedder Peter Sabroes Gade, for Peter Sabroe kæmpede for børn.",
        "Peter Holm grundlagde Den Gamle By i 1909, og parkering koster 39 kroner.",
        "Skjoldhøjkollegiet har over 900 værelser og én vaskekælder, hilsen en beboer.",
        "Falck har nummer 70 10 20 30, men vi ventede 2 timer.",
        "He was 30, 3rd in the race, and his name is on the list.",
        "Jeg bor på Vestergade, det er 12 år siden, og i Aarhus er det 12 minutter væk.",
        "der bor 4.300 mennesker i Bispehaven og der er én bus, nummer 13, hvert tyvende minut.",
        "Vi var 24 i bussen, og Vi var 24... ja, det var mange.",
        "Send klagen til Aarhus Rådhus, Rådhuspladsen 2, 8000 Aarhus C, sagde de.",
        "Hvis I vil kontakte nogen så skriv til post@aarhus.dk, det står på hjemmesiden.",
        "Stop med at fælde træer i Marselisborgskovene, jeg har talt 23 stubbe.",
        "Bussen der hedder Plus Bus eller hvad det er, den burde stoppe ved Skejby.",
        "Bus nummer 5 er altid sen, og 2019 var værre.",
        "Vi holdt fødselsdag den 3. maj 2024 i Mindeparken.",  # a party, not a birth
        "Jeg er født i 1981 og har altid boet i Viby.",  # a year alone is an age
        "Hvad hedder jeg? Det er kommunen der ringer, og nu her i byen er det mig der ringer.",
        "Linje 4A kører forbi Aarhus Universitetshospital, men ikke efter klokken 23.",
        "Flere bænke op til Åboulevarden, min mor på 87 kan ikke gå langt.",
        "Midttrafik's app doesn't take German credit cards.",
        pytest.param(
            "Naboen på 2. th. har en hund, og der er en Rema 1000 på hjørnet.",
            # the development corpora mark a floor and side as part of a home ("Toftevej
            # 3, 2. tv."); said alone, the learned reader takes it for one too
            marks=pytest.mark.xfail(reason="a floor said alone is hidden by the reader"),
        ),
        "Jeg så det på TikTok, min iPhone var død, og Dokk1 på Instagram har 4A-bussen.",
        "Vi bor i 8000 C og det er fint.",
        "Der kom tres, fire biler og en bus, og vi var dos personas y tres niños.",
        "Vi har boet i 8210 siden 1999, og huslejen er 6.750 kroner.",
        # Numbers the numbering plan gives only to businesses, and desks by their own name.
        "Jeg ventede 45 minutter i telefonen på 70 21 02 30, og frikaldet 80 20 30 40 lukkede.",
        "Kommunens vejtelefon 89 40 44 00 svarer hele døgnet.",
        "Skriv til billet@musikhusetaarhus.dk eller til aarhus@aarhus.dk, det står der.",
        "I called the city switchboard and my landlord, and Boghandlen på Mejlgade 41 lukker.",
        "Alle siger Banegården, ikke Aarhus H.",
        "Tallene for 2024 er de sidste vi har, og slutningen er 2025 for byggeriet.",
        "Jeg bor i 8000 C, og fire tv-skærme på tredje sal i Dokk1 viser 8000 Aarhus C.",
        pytest.param(
            "Ring til 112 hvis det brænder, og bus nummer er 13... nej 14.",
            # in the development corpora a number corrected after "nummer er" is mostly a
            # phone number's end; some trainings of the reader hide the "14"
            marks=pytest.mark.xfail(reason="a corrected bus number is hidden by the reader"),
        ),
        # Desks and organisations' numbers.
        "Jeg skrev til tryghed@aarhus.dk og til rosenvangskolen@mbu.aarhus.dk om det.",
        "Sagen om Nordhavnen har nummer 20 24 11 87, og den kommer op i maj.",
        "Butikkens nummer står på døren, 86 12 34 56, og klubbens telefon 86 19 20 21.",
        "vores nummer er 86 12 34 56 og det står på hjemmesiden, kom forbi",
        "postnumrene 8210 8200 og 8220 får aldrig nye legepladser",
        "Jeg ringede til Affald og Genbrug på 89 40 23 45 i går.",
        "Kommunens hotline for snerydning 89 40 44 00 tog ikke telefonen.",
        "Børnehaven på Grøndalsvej 3 er for lille, og vores bageri ligger på Mejlgade 54.",
        # Amounts and roads are no plates; a place's second word is no surname.
        "Billetten kostede 12 345 kroner, og E45 var lukket ved afkørsel 46.",
        "Hjemmeplejen i Aarhus Vest har 30 procent vikarer.",
        # A word after its article is a thing, though a name is spelled like it.
        "Den røde bil fra nummer 3 holder på stien hver morgen.",
        "We are on a first name basis with the mayor, and the surname is on the form.",
    ],
)
def test_public_figures_places_and_storms_stay(said: str) -> None:
    assert redact(said) == said
