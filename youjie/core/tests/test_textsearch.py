"""Segmenting for the full-text index: jieba with the legal dictionary.

A query is segmented in precise mode and its words ANDed; the index holds search-mode tokens. A
word the query yields must therefore be among the tokens of any text that contains it as a word,
or searching stops finding rows.
"""

from __future__ import annotations

import pytest

from youjie.core.textsearch import (
    LEGAL_DICTIONARY,
    MAX_QUERY_TERMS,
    fts5_match_expression,
    index_text,
    query_terms,
    segment,
)


def legal_words() -> list[str]:
    lines = LEGAL_DICTIONARY.read_text("utf-8").splitlines()
    return [line.split()[0] for line in lines if line.strip()]


def test_legal_dictionary_words_stay_whole_and_are_indexed_in_a_sentence():
    words = legal_words()
    assert len(words) > 40
    for word in words:
        assert query_terms(word) == [word.lower()], word
        assert word.lower() in segment(f"关于{word}的问题"), word


@pytest.mark.parametrize(
    ("text", "query"),
    [
        ("申请财产保全后，法院多久能冻结对方的银行账户？", "保全"),
        ("法院采用留置送达的方式送达了判决书。", "送达"),
        ("我同意电子送达，请把送达地址确认书发到我的手机上。", "送达地址确认书"),
        ("被执行人已被列为失信被执行人并限制高消费。", "失信被执行人"),
        ("离婚纠纷中孩子的抚养权怎么确定。", "离婚纠纷"),
    ],
)
def test_a_query_word_is_among_the_tokens_of_a_text_holding_it(text, query):
    tokens = set(segment(text))
    terms = query_terms(query)
    assert terms, query
    assert set(terms) <= tokens, (terms, tokens)


def test_long_words_are_indexed_with_their_parts():
    tokens = segment("诉讼保全申请书")
    assert "诉讼保全" in tokens or "诉讼" in tokens
    assert "保全" in tokens


def test_punctuation_and_spaces_are_dropped_and_latin_is_lower_cased():
    tokens = segment("ABC公司，  与XYZ公司！？")
    assert "abc" in tokens and "xyz" in tokens
    assert all(token.strip() and token not in "，！？" for token in tokens)
    assert index_text("", "送达", "") == " ".join(segment("送达"))


def test_a_query_keeps_distinct_words_only_and_at_most_the_limit():
    assert query_terms("执行异议 执行异议 强制执行") == ["执行异议", "强制执行"]
    long_query = "拖欠工资工伤赔偿交通事故司法救助离婚纠纷民间借贷劳动争议买卖合同物业服务"
    terms = query_terms(long_query)
    assert len(terms) == MAX_QUERY_TERMS
    assert len(set(terms)) == len(terms)
    assert query_terms("，。！ ") == []


def test_the_match_expression_quotes_every_term():
    assert fts5_match_expression(["保全", 'a"b']) == '"保全" AND "a""b"'
