"""Segmenting for the full-text index: jieba with the legal dictionary.

A query is segmented in precise mode and its words ANDed; the index holds search-mode tokens. A
word the query yields must therefore be among the tokens of any text that contains it as a word,
or searching stops finding rows.
"""

from __future__ import annotations

import functools

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from youjie.core.textsearch import (
    LEGAL_DICTIONARY,
    MAX_QUERY_TERMS,
    _tokenizer,
    fts5_match_expression,
    index_text,
    query_terms,
    segment,
    user_dictionary,
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


# --- jieba-rs against the Python jieba (decision 0006) ----------------------------------------
# Indexes built by the Python jieba (earlier releases, and the text an index already holds) must
# keep matching the queries segmented now, so the two must cut the same text the same way.

_COMMON = (
    "的一是在不了有和人这中大为上个国我以要他时来用们生到作地于出就分对成会可主发年动同工也能下"
    "过子说产种面而方后多定行学法所民得经十三之进着等部度家电力里如水化高自二理起小物现实加量都两"
    "体制机当使点从业本去把性好应开它合还因由其些然前外天政四日那社义事平形相全表间样与关各重新线"
    "内数正心反你明看原又么利比或但质气第向道命此变条只没结解问意建月公无系军很情者最立代想已通并"
    "院庭审判执行诉讼保全送达离婚抚养借贷合同纠纷赔偿工资拖欠被告原告上诉立案开庭调解王李张刘陈"
)
_PUNCTUATION = "，。！？、；：（）“”《》 \n"


@functools.cache
def python_jieba() -> object:
    import logging

    import jieba

    jieba.setLogLevel(logging.WARNING)
    tokenizer = jieba.Tokenizer()
    tokenizer.initialize()
    tokenizer.load_userdict(str(LEGAL_DICTIONARY))
    return tokenizer


def _cuts(tokenizer: object, text: str) -> tuple[list[str], list[str]]:
    return list(tokenizer.cut_for_search(text)), list(tokenizer.cut(text))  # type: ignore[attr-defined]


def test_the_user_dictionary_is_read_as_jieba_reads_it(tmp_path):
    path = tmp_path / "dict.txt"
    path.write_text("诉讼保全 20 n\n送达地址确认书 7\n执行和解 v\n失信被执行人\n\n", "utf-8")
    assert user_dictionary(path) == [
        ("诉讼保全", 20, "n"), ("送达地址确认书", 7, None), ("执行和解", None, "v"),
        ("失信被执行人", None, None),
    ]  # fmt: skip
    assert len(user_dictionary()) == len(legal_words())


@pytest.mark.parametrize(
    "text",
    [
        "申请财产保全后，法院多久能冻结对方的银行账户？",
        "（2026）内0206民初123号案件什么时候开庭？我是原告张三丰。",
        "王小明诉李四民间借贷纠纷一案，ABC公司欠款50000元未还。",
        "被执行人已被列为失信被执行人并限制高消费，请问执行款何时到账",
        "我同意电子送达，请把送达地址确认书发到13800138000上",
    ],
)
def test_legal_sentences_are_cut_as_the_python_jieba_cuts_them(text):
    assert _cuts(_tokenizer(), text) == _cuts(python_jieba(), text)


@settings(max_examples=300, deadline=None)
@given(
    text=st.lists(
        st.one_of(
            st.text(alphabet=_COMMON + _PUNCTUATION, min_size=1, max_size=30),
            st.sampled_from(legal_words()),
            st.from_regex(r"[A-Za-z]{1,6}|[0-9]{1,8}", fullmatch=True),
        ),
        max_size=8,
    ).map("".join)
)
def test_any_text_is_cut_as_the_python_jieba_cuts_it(text):
    assert _cuts(_tokenizer(), text) == _cuts(python_jieba(), text)
