"""Boilerplate rules in isolation: they generalise beyond the seeds, and keep real sentences."""

from __future__ import annotations

from storyfold.ingest.clean import OutletLines, chrome_reason, clean_text


def test_chrome_phrases_in_several_languages():
    for line in (
        "Partager sur Facebook",
        "Lire aussi",
        "Leer más",
        "Noticias relacionadas",
        "Mehr zum Thema",
        "Leggi anche",
        "Leia também",
        "Load more",
        "We use cookies to improve your experience on our website and to show you relevant ads.",
        "Deixe um comentário",
    ):
        assert chrome_reason(line), line


def test_shapes_repeated_word_caption_fragment():
    assert chrome_reason("Weather Weather") == "repeated word"
    assert chrome_reason("Getty Images / Reuters") == "caption"
    assert chrome_reason("Harbour cranes photo 12") == "caption"
    assert chrome_reason("Top stories") == "short fragment"


def test_real_sentences_and_subheadings_survive():
    for line in (
        "Search teams found the wreck on Monday.",
        "Share prices rose 4% after the announcement, traders said.",
        "Comments from the minister angered the unions, who called a strike for Thursday.",
        "What happens to the workers now?",
        "The photo agency said its archive of 2 million images would be sold to a museum.",
        "Why the harbour matters for the region",
        "Home prices keep rising in the capital",
        "Print media lost another 2,000 jobs last year",
    ):
        assert chrome_reason(line) is None, line


def test_clean_text_repeats_and_paragraphs():
    text = "  Tram line approved\n\nTram line approved\n\n\tThe council voted 31 to 4 in favour.\n\n\n\nRelated articles\n"
    out = clean_text(text)
    assert out.text == "Tram line approved\n\nThe council voted 31 to 4 in favour."
    assert [r for _, r in out.dropped] == ["repeat", "chrome phrase"]


def test_hard_wrapped_paragraph_is_joined_and_kept():
    text = (
        "The regional council approved the budget on Friday after a debate\n"
        "that lasted more than nine hours and ended with a narrow vote of\n"
        "eighteen to fifteen."
    )
    out = clean_text(text)
    assert out.text == " ".join(text.split("\n")) and not out.dropped


def test_outlet_template_lines_need_three_articles():
    lines = OutletLines(min_articles=3)
    for _ in range(2):
        lines.observe("Gazette", ["Follow our live coverage of the elections", "A unique paragraph."])
        assert not lines.is_template("Gazette", "Follow our live coverage of the elections")
    lines.observe("Gazette", ["Follow our live coverage of the elections"])
    assert lines.is_template("Gazette", "follow our live coverage of the elections")
    assert not lines.is_template("Other", "Follow our live coverage of the elections")


def test_outlet_template_is_removed_from_later_articles_but_ids_do_not_depend_on_it():
    from storyfold.ingest import Ingestor
    from storyfold.model import RawDocument

    slogan = "Independent news from the Lisse valley since 1921"
    bodies = [
        "The ferry to Ostrel resumed service on Monday after a week of storms.",
        "The town hall approved a budget of 12 million euros for new schools.",
        "A fire destroyed a warehouse near the station, the police said on Friday.",
        "The museum will open a new wing in June, its director announced.",
    ]
    ing = Ingestor()
    arts = [
        ing.article(RawDocument(f"d{i}", "jsonl", b"", {"outlet": "Lisse Post", "text": f"{b}\n\n{slogan}"}))
        for i, b in enumerate(bodies)
    ]
    # the outlet's first article keeps it; from the second on it is the outlet's template
    assert [slogan in a.text for a in arts] == [True, False, False, False]
    alone = Ingestor().article(
        RawDocument("d3", "jsonl", b"", {"outlet": "Lisse Post", "text": f"{bodies[3]}\n\n{slogan}"})
    )
    assert alone.id == arts[3].id


def test_distant_repeats_are_content_not_chrome():
    text = (
        "Breakfast\n\nEat 2 eggs and toast.\n\nLunch\n\nEat 2 eggs and toast.\n\nDinner\n\nRice with beans."
    )
    out = clean_text(text)
    assert out.text.count("Eat 2 eggs and toast.") == 2


def test_headline_repeated_after_chrome_collapses():
    out = clean_text(
        "Harbour strike ends\n\nShare on Facebook\n\nHarbour strike ends\n\nDockers went back to work."
    )
    assert out.text == "Harbour strike ends\n\nDockers went back to work."


def test_link_cues_and_newsletter_or_follow_lines_are_chrome_at_any_length():
    from storyfold.ingest.clean import chrome_reason

    assert chrome_reason("Read more: Why regional ports are racing to automate their cranes and gates")
    assert chrome_reason("Lire aussi : Les dockers de la côte obtiennent une hausse de salaire de 4 %")
    assert chrome_reason("Subscribe to our newsletter for the latest harbour news, delivered every weekday.")
    assert chrome_reason("Follow Coastline Daily for more business news.")
    # the same words inside a real sentence are content
    assert (
        chrome_reason("Read more widely, the minister told students, and question every figure you see.")
        is None
    )
    assert (
        chrome_reason("Investors will follow the company closely for more signs of growth, analysts said.")
        is None
    )
