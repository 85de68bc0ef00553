from corpus.model import Corpus, Essay


def _essay(essay_id: str, page: int) -> Essay:
    return Essay(essay_id, "t", "a", page, "s", (), (), (), ())


def test_pages_run_until_the_next_essay_starts():
    corpus = Corpus((_essay("b", 8), _essay("a", 6), _essay("c", 11)))
    assert corpus.pages("a") == (6, 7)
    assert corpus.pages("b") == (8, 10)
    assert corpus.pages("c") == (11, 11)  # the last, with no last page given: its first only
    assert corpus.ids == ("b", "a", "c")
