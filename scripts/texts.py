"""Questions and answers for synthetic episodes: titles as a producer writes them, questions as spoken."""

# (shownote title, spoken question or None for "spoken exactly as the title", answer sentences)
GERMAN = [
    ("Wie seid ihr zum Podcast gekommen?", None, [
        "Das war eigentlich ein Zufall.", "Wir haben uns auf einer Konferenz getroffen und sofort gemerkt, dass wir gerne reden.",
        "Ein halbes Jahr später stand das Mikrofon auf dem Küchentisch."]),
    ("Welche Technik braucht man für den Anfang?", None, [
        "Weniger als man denkt.", "Ein ordentliches Mikrofon und ein ruhiger Raum reichen völlig aus.",
        "Teure Geräte helfen wenig, wenn der Raum hallt."]),
    ("Wie lange dauert die Produktion einer Folge?", None, [
        "Für eine Stunde Gespräch rechnen wir mit einem ganzen Arbeitstag.", "Der Schnitt frisst die meiste Zeit.",
        "Dazu kommen die Shownotes und die Kapitelmarken."]),
    ("Was macht ein gutes Interview aus?", "Was macht eigentlich ein gutes Interview aus?", [
        "Zuhören ist wichtiger als die perfekte Frage.", "Wer nur seinen Zettel abarbeitet, verpasst die besten Momente.",
        "Man muss den Gast auch einmal ausreden lassen."]),
    ("Wie findet ihr eure Gäst*innen?", "Wie findet ihr eure Gästinnen?", [
        "Viele melden sich inzwischen von selbst.", "Am Anfang haben wir einfach Leute aus unserem Umfeld gefragt.",
        "Eine freundliche Mail wirkt oft Wunder."]),
    ("Verdient man mit Podcasts Geld?", None, [
        "Die ehrliche Antwort lautet: selten genug.", "Werbung lohnt sich erst ab einer gewissen Reichweite.",
        "Wir finanzieren uns vor allem über Unterstützer aus der Hörerschaft."]),
    ("„Podcasts hört doch keiner“ – stimmt das?", "Podcasts hört doch keiner, stimmt das?", [
        "Die Zahlen sagen etwas ganz anderes.", "Jede dritte Person hört regelmäßig Podcasts, vor allem unterwegs.",
        "Gerade beim Pendeln ist das Format unschlagbar."]),
    ("Wie geht ihr mit Kritik um?", None, [
        "Sachliche Kritik nehmen wir sehr ernst.", "Manche Hinweise haben unsere Sendung deutlich besser gemacht.",
        "Beleidigungen ignorieren wir dagegen konsequent."]),
    ("Welche Rolle spielen Kapitelmarken?", None, [
        "Eine größere, als viele glauben.", "Hörer springen gezielt zu den Themen, die sie interessieren.",
        "Falsche Zeiten ärgern die Leute allerdings sehr."]),
    ("Was war euer schönster Moment?", None, [
        "Die Folge mit unserer Großmutter.", "Sie hat aus ihrer Jugend erzählt, und wir haben beide geweint.",
        "Diese Aufnahme hören wir uns heute noch gerne an."]),
    ("Wie wichtig ist die Tonqualität?", None, [
        "Wichtiger als jedes Thema.", "Schlechter Ton vertreibt die Hörer schon in der ersten Minute.",
        "Deshalb investieren wir lieber in Akustik als in Werbung."]),
    ("Plant ihr die Themen im Voraus?", None, [
        "Grob ja, im Detail nein.", "Wir haben eine Liste mit Ideen für die nächsten drei Monate.",
        "Oft ergibt sich das beste Thema aber spontan."]),
    ("Welche Tipps habt ihr für Neueinsteiger*innen?", "Welche Tipps habt ihr für Neueinsteigerinnen?", [
        "Einfach anfangen und nicht zu lange planen.", "Die ersten zehn Folgen sind sowieso zum Üben da.",
        "Und bitte regelmäßig veröffentlichen."]),
    ("Wie sieht die Zukunft des Formats aus?", "Wie sieht denn die Zukunft des Formats aus?", [
        "Wir glauben an mehr Nähe und weniger Hochglanz.", "Kleine Sendungen mit treuem Publikum werden wichtiger.",
        "Und Videos werden das Hören nicht ersetzen."]),
]

ENGLISH = [
    ("How did the show start?", None, [
        "It started as a weekend experiment.", "We recorded the first episode in a closet full of coats.",
        "Surprisingly, people kept listening."]),
    ("What gear do you recommend?", "What gear would you recommend?", [
        "A decent dynamic microphone and headphones.", "Room treatment matters more than expensive equipment.",
        "Start simple and upgrade later."]),
    ("Why do chapter markers matter?", None, [
        "Listeners use them to jump straight to the topic they care about.",
        "Wrong timestamps frustrate people more than missing ones.", "So we check them carefully."]),
    ("How do you find guests?", None, [
        "Many guests reach out to us now.", "In the beginning we simply asked friends and colleagues.",
        "A short, friendly email works wonders."]),
    ("Can a podcast pay the bills?", None, [
        "Rarely, if we are honest.", "Sponsorships only work once the audience is large enough.",
        "Most of our income comes from listener support."]),
    ("What comes next for you?", None, [
        "We want to travel and record on location.", "Hearing a place changes how a story feels.",
        "Stay tuned for the next season."]),
]

INTRO = {"de": "Hallo und herzlich willkommen zu einer neuen Folge unseres Podcasts über das Podcasten.",
         "en": "Hello and welcome to a new episode of our show about making shows."}
OUTRO = {"de": "Vielen Dank fürs Zuhören und bis zum nächsten Mal.",
         "en": "Thanks for listening, and see you next time."}
ADVERT = {"de": "Diese Folge wird unterstützt von Kaffee Sonnenschein. Frisch geröstet, fair gehandelt und direkt zu dir nach Hause geliefert. Jetzt mit dem Code Podcast zehn Prozent sparen.",
          "en": "This episode is supported by Sunshine Coffee. Freshly roasted, fairly traded and delivered to your door. Use the code podcast to save ten percent."}
