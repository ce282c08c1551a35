"""Deterministic generator of synthetic researcher-profile pages (see SEED-FORMAT.md).

Every shape the seeds show is produced: full, figures-only and missing headers;
spaced and run-together entries; leading scores, `Code`, affiliations after
` · `, dates with and without a year, `et al.`; CRLF, a BOM, stray blank lines
and trailing spaces. Titles and names are chosen to make the run-together
title/first-author seam hard. Each page comes with its ExpectedPage, the true
values a parser must recover.

    python bench/pagegen.py OUT_DIR --papers N [--seed S]
    python bench/pagegen.py OUT_DIR --real [--seed S]   # real arXiv metadata (realpages.py)
"""

from __future__ import annotations

import argparse
import calendar
import hashlib
import json
import math
import random
from collections import Counter, deque
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass, field
from functools import cache
from pathlib import Path

from paperdesk.records import Header, person_key, title_key

CAPTURE_YEAR = 2026  # the year a date without a year means
MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
MIN_ENTRIES, MAX_ENTRIES = 5, 60
MANIFEST = "corpus.json"


def _words(text: str, sep: str | None = None) -> tuple[str, ...]:
    """A word list written as one string: split on white space, or on `sep`."""
    return tuple(w.strip() for w in text.split(sep) if w.strip())


# ------------------------------------------------------------------ words

_CATEGORIES = _words("""IR IR IR IR IR IR IR IR CL CL CL CL CL CL CL CL LG LG LG LG LG LG LG LG
    AI AI AI AI AI CV CV CV CV CV GN HC MA ML CR SI RO NE DB SE CY IV""")
_AFFILIATIONS = _words("""pku tsinghua gatech mit cmu stanford ustc zju kaist snu iitb ethz epfl
    oxford ucl mila msra google alibaba bytedance tencent inria mpi uiuc nus ntu hku cuhk sjtu
    fudan ruc upenn tum kth""")

_ZH_SURNAMES = _words("""Wang Li Zhang Liu Chen Yang Huang Zhao Wu Zhou Xu Sun Ma Zhu Hu Guo He
    Lin Luo Gao Zheng Liang Xie Song Tang Han Feng Deng Cao Peng Zeng Xiao Tian Dong Pan Yuan Cai
    Jiang Yu Du Ye Cheng Wei Su Ji Qi Lei Lü Ou Yao Shen Jin Fu Bai Qin Shi""")
_ZH_SYLLABLES = _words("""jian xun yu xuan hao wei ming qi zi ru tian fu jie xiang xu yi lin hong
    teng shuai yun fei chu ze yang han bo zhe an chen dong feng gang hui jia jun kai lei li long
    mei nan ning peng qing rui shan sheng tao ting wen xin xue yan ying yong yue zhen zhi zhong
    zhuo""")
_KO_SURNAMES = _words("""Kim Lee Park Choi Jung Kang Cho Yoon Jang Lim Han Shin Seo Kwon Hwang
    Ahn Song Yoo Hong Jeon Ko Moon Yang Son Bae Baek Heo Nam Kweon""")
_KO_SYLLABLES = _words("""seong ku hyun jin won bin dong ha ji min jae ho sang woo young soo eun
    hye kyung joon tae yeon hee chul""")
_IN_GIVEN = _words("""Aarav Priya Venkata Sai Ananya Rohit Karthik Arjun Deepika Lakshmi
    Siddharth Harsha Nikhil Shreya Aditya Meera Vikram Pranav Kavya Rahul Sunita""")
_IN_MIDDLE = _words("Prashanth Ramana Kumar Krishna Lakshmi Naga Surya")
_IN_SURNAMES = _words("""Sharma Ramachandran Iyer Gupta Narasimhan Reddy Patel Krishnan
    Subramanian Chakraborty Banerjee Mukherjee Agarwal Rao Nair Menon Joshi Kulkarni Bhattacharya
    Venkatesan""")
_EU_GIVEN = _words("""José, Zoë, Jean-Pierre, Marie-Claire, Hans, Łukasz, Jürgen, Søren, François,
    Hélène, Ewan, David, Anna, Lucas, Matteo, Sofia, Ingrid, Björn, Pierre, Émilie, Noémie, Andrés,
    Ólafur, Giulia, Thomas, Oliver, Emma, Lars, Katarzyna, Dimitris, Ioannis, Mirella, Chloé,
    Timothée, Agnieszka, Radu, Miguel, João, Gonçalo, Max, Ana María, Juan Carlos, Jan Willem""",
                   ",")
_EU_SURNAMES = _words("""Núñez, Ångström, Dupont, McDonald, DeWitt, MacLeod, O'Neil, LeCun,
    DiMaggio, Schmidt, Müller, Kowalski, Papadopoulos, Rossi, García, Fernández, Østergaard,
    Lindqvist, Novák, Dvořák, Ivanova, Smith, Brown, Taylor, Johansson, Nielsen, Lefèvre, Moreau,
    Costa, Silva, Gonçalves, Popescu, Kaiser, Weber, Schäfer, Herrera, O'Brien, Fitzgerald,
    MacAulay, Sánchez-Ruiz, Ben-David, de Rijke, van der Berg, van Dijk""", ",")
_JA_GIVEN = _words("Takeshi Yuki Haruto Sakura Kenji Aiko Ryo Shun Hiroaki Naoki")
_JA_SURNAMES = _words("Nakamura Tanaka Suzuki Sato Watanabe Yamamoto Kobayashi Ito")
_VI_PARTS = (_words("Nguyễn Trần Lê Phạm Hoàng Huỳnh Phan Vũ Đặng Bùi"),
             _words("Văn Thị Minh Quốc Đức Hữu"),
             _words("An Mai Huy Long Trang Dũng Thảo Khoa"))
_AR_GIVEN = _words("Ahmed Mohamed Omar Fatima Layla Yousef Karim Nour")
_AR_SURNAMES = _words("El-Kishky Hassan Al-Rashid Haddad Mansour Abdelrahman Benali")

_ADJ = _words("""Efficient Robust Scalable Adaptive Hierarchical Contrastive Generative
    Multi-Modal Federated Causal Explainable Sparse Dense Lightweight Unified Personalized
    Interpretable Trustworthy Zero-Shot Few-Shot Self-Supervised Cross-Domain Long-Context
    Retrieval-Augmented Privacy-Preserving Differentiable Probabilistic Bayesian Neural
    Graph-Based Knowledge-Aware Reinforced Continual Incremental Temporal Spatio-Temporal
    Sequential Conversational Agentic Multilingual Low-Resource Fair Calibrated Uncertainty-Aware
    Hybrid Decentralized Asynchronous Structured""")
_NOUN = _words("""Recommendation Retrieval Reasoning Alignment Distillation Embeddings
    Transformers Attention Ranking Search Summarization Translation Segmentation Detection
    Generation Planning Exploration Representation Learning Optimization Inference Pretraining
    Fine-Tuning Tokenization Quantization Pruning Compression Evaluation Benchmarking Simulation
    Forecasting Clustering Matching Grounding Captioning Editing Parsing Tagging Diffusion Agents
    Memory Tutoring Dialogue Preferences Rewards Feedback Networks Systems Models Graphs Policies
    Tokenizers Encoders Decoders Datasets Benchmarks""")
_DOMAIN = _words("""E-Commerce, Healthcare, News, Music, Video, Finance, Education,
    Legal Documents, Source Code, Chemistry, Proteins, Genomics, Robotics, Autonomous Driving,
    Weather, Traffic, Advertising, Social Media, Scientific Literature, Mathematics,
    Medical Imaging, Remote Sensing, Speech, Online Games, Job Matching""", ",")
_GERUND = _words("""Rethinking Revisiting Scaling Aligning Understanding Improving Boosting
    Learning Explaining Steering Evaluating Benchmarking Unifying Decomposing Mitigating""")
_COIN_HEAD = _words("""Rec Graph Conv Social Char Meta Auto Deep Fast Uni Omni Hyper Neuro Mind
    Data Code Vision Prompt Token Agent Proact Sim Chat Query""")
_COIN_TAIL = _words("""Explainer Former Coach Tide Net GPT Bench Mamba Flow Gen Zero Lens Fusion
    Pilot Forge Scope Mind RAG Bot Craft""")
_COIN_SUFFIX = ("", "", "", "", "-VL", "-R1", "2", "++", "-X")
_INNER_CAPS = _words("""DeepSeek GraphRAG AdsRecommendation GitHub PyTorch LoRA ChatGPT MovieLens
    WeChat TikTok YouTube OpenAI iPhone LinkedIn SciBERT RoBERTa LLaMA ImageNet CelebA MiniGPT
    AlphaFold StarCraft JavaScript TensorFlow NewsEncoder""")
_ACCENTED = _words("""Poincaré, Fréchet, Gödel, Naïve Bayes, Café, Zürich, São Paulo,
    Erdős\u2013Rényi, Lévy Flights, Māori, Ålesund, Kraków""", ",")
_ACRONYMS = _words("LLMs RAG GNNs VLMs MLLMs RLHF CTR NLP AI QA KGs LLM MoE SLAM")
_PREPS = _words("for with in via on from beyond without under")
_DIGIT_ENDS = ("2025", "in 3D", "v2", "GPT-4", "Track 1", "SemEval-2024", "Challenge 2025", "5G",
               "in 2D and 3D", "Top-100", "Phase 2")
_PUNCT_ENDS = ("(Extended Abstract)", "(Student Abstract)", "(RL)", "(and Why)", "Again!",
               "Now!", "...", "Revisited:", "\u201cAccuracy\u201d", "Matters.")
_LOWER_ENDS = ("from human feedback", "in the wild", "at scale", "for free", "on the fly",
               "and beyond", "made easy", "via prompting", "without labels", "in practice",
               "with ease", "for all")
_HYPHEN_ENDS = ("Plug-and-Play", "Human-in-the-Loop", "Top-K", "Open-Vocabulary", "Multi-Agent",
                "Real-Time", "Long-Tail", "State-of-the-Art", "Cross-Lingual", "end-to-end",
                "Human-in-the-loop", "On-Device", "Hypergraph-Based Patient Relationships")

_METRICS = _words("accuracy recall NDCG AUC F1 BLEU perplexity latency throughput MRR")
_DATASETS = _words("""MovieLens-1M, Amazon-Book, MS MARCO, ImageNet, GSM8K, MMLU, Yelp2018,
    HotpotQA, CIFAR-100, KuaiRand, Criteo, Natural Questions""", ",")
_SENTENCES = (
    "However, existing {n} methods often ignore the {a} structure of {d} data.",
    "We propose a {a} framework that couples {n} with {a} {n}.",
    "Extensive experiments on {k} public datasets, including {b}, show gains of {p}% in {m}.",
    "Our analysis reveals that {a} {n} is the main bottleneck for {d} applications.",
    "To address this, we introduce a {a} objective that balances {n} and {n}.",
    "Moreover, the approach reduces {m} degradation by {p}% compared with strong baselines.",
    "In recent years, {n} has attracted increasing attention in {d}.",
    "Specifically, we first construct a {a} graph and then apply {n} to refine it.",
    "Theoretical results show that the estimator is consistent under mild assumptions.",
    "The code and data are publicly available to facilitate future research.",
    "We further deploy the system online, where it serves {k} million users daily.",
    "Ablation studies confirm that each component contributes to the final {m}.",
    "Unlike prior work, our method requires no {a} supervision at inference time.",
    "This raises concerns about the reliability of {n} in high-stakes {d} settings.",
    "Finally, we discuss limitations and open problems for {a} {n}.",
    "Smith et al. (20{y}) showed that {n} alone is insufficient for {d}.",
    "We release a benchmark of {k},{z}00 annotated examples covering {d}.",
    "First, we formalise the task as {a} {n}; second, we derive an efficient solver.",
    "Empirical findings suggest a trade-off between {m} and {a} {n}.",
    "Results on {b} demonstrate state-of-the-art {m} with {k}x lower cost.",
)
_EXTRAS: tuple[Callable[[random.Random, str], str], ...] = (
    lambda rng, term: f"We call the resulting model \\textbf{{{term}}}.",
    lambda rng, term: f"The loss scales as $O(n^{rng.randint(2, 3)})$ in the worst case.",
    lambda rng, term: "It improves 0.61 $\\rightarrow$ 0.74, \\textit{e.g.,} on long inputs.",
    lambda rng, term: f"We term this ``{term} drift'' in the remainder of the paper.",
    lambda rng, term: f"Code: https://github.com/{term.lower()}-lab/{term}.",
    lambda rng, term: f"Contact: {term.lower()}@example.edu for the data.",
    lambda rng, term: "Inputs such as <script>alert(1)</script> are treated as plain text.",
    lambda rng, term: "A page may carry <img src=x onerror=alert(1)> verbatim.",
    lambda rng, term: "Models are increas- ingly used, yet di erent settings vary.",
    lambda rng, term: f"We report $\\tau^2$ and $x^2$ statistics for {term}.",
)


# ------------------------------------------------------------------ records


@dataclass(frozen=True)
class ExpectedEntry:
    title: str
    authors: tuple[str, ...]
    et_al: bool
    affiliations: tuple[str, ...]
    category: str
    month: int
    day: int
    year: int | None
    has_code: bool
    score: float | None
    abstract: str


@dataclass(frozen=True)
class Style:
    """How a page is laid out and how messy its text is."""

    header: str  # "full", "figures" or "none"
    run_together: bool
    crlf: bool
    bom: bool
    messy: bool  # stray blank lines and trailing spaces


@dataclass(frozen=True)
class ExpectedPage:
    """The truth behind one generated page."""

    name: str | None  # the name line, None when the page has none
    owner: str  # the researcher the page belongs to (what inference should find)
    header: Header
    entries: tuple[ExpectedEntry, ...]
    style: Style


@dataclass
class CorpusInfo:
    out_dir: str
    seed: int
    pages: int = 0
    papers: int = 0  # entries over all pages
    distinct_papers: int = 0
    shared_entries: int = 0  # entries repeating a paper from an earlier page
    run_together_pages: int = 0
    bytes: int = 0


@dataclass
class TitleRegistry:
    """Keys of titles already used, so that only deliberate sharing repeats a paper."""

    seen: set[bytes] = field(default_factory=set)

    def add(self, title: str) -> bool:
        key = hashlib.blake2b(title_key(title).encode(), digest_size=8).digest()
        if key in self.seen:
            return False
        self.seen.add(key)
        return True


# ------------------------------------------------------------------ names


def _zh_given(rng: random.Random) -> str:
    """`Jianxun`, `Yu`, and now and then `JianXun`, `Jia-Wei` or `Hung-yi`."""
    first, second = rng.choice(_ZH_SYLLABLES).capitalize(), rng.choice(_ZH_SYLLABLES)
    shape = rng.random()
    if shape < 0.2:
        return first
    if shape < 0.23:
        return f"{first}{second.capitalize()}"
    if shape < 0.26:
        return f"{first}-{second.capitalize()}"
    if shape < 0.28:
        return f"{first}-{second}"
    return f"{first}{second}"


def _ko_given(rng: random.Random) -> str:
    """`Seongku`, `Jae-Gil` or `SeongKu`."""
    first, second = rng.choice(_KO_SYLLABLES).capitalize(), rng.choice(_KO_SYLLABLES)
    forms = (f"{first}{second}", f"{first}-{second.capitalize()}", f"{first}{second.capitalize()}")
    return rng.choices(forms, (0.5, 0.3, 0.2))[0]


def _indian(rng: random.Random) -> str:
    middle = f" {rng.choice(_IN_MIDDLE)}" if rng.random() < 0.3 else ""
    return f"{rng.choice(_IN_GIVEN)}{middle} {rng.choice(_IN_SURNAMES)}"


def _vietnamese(rng: random.Random) -> str:
    return " ".join(rng.choice(part) for part in _VI_PARTS)


_CULTURES: tuple[tuple[float, Callable[[random.Random], str]], ...] = (
    (0.45, lambda rng: f"{_zh_given(rng)} {rng.choice(_ZH_SURNAMES)}"),
    (0.10, lambda rng: f"{_ko_given(rng)} {rng.choice(_KO_SURNAMES)}"),
    (0.12, _indian),
    (0.22, lambda rng: f"{rng.choice(_EU_GIVEN)} {rng.choice(_EU_SURNAMES)}"),
    (0.04, lambda rng: f"{rng.choice(_JA_GIVEN)} {rng.choice(_JA_SURNAMES)}"),
    (0.03, _vietnamese),
    (0.04, lambda rng: f"{rng.choice(_AR_GIVEN)} {rng.choice(_AR_SURNAMES)}"),
)


def random_name(rng: random.Random) -> str:
    """A person's canonical written name, from one of several naming cultures."""
    makers = [maker for _, maker in _CULTURES]
    weights = [weight for weight, _ in _CULTURES]
    return rng.choices(makers, weights)[0](rng)


def case_variant(rng: random.Random, name: str) -> str:
    """The same person written with one word in lower case: `ziru Liu`, `Yinghao chen`."""
    words = name.split(" ")
    i = rng.choice((0, len(words) - 1))
    words[i] = words[i][:1].lower() + words[i][1:]
    return " ".join(words)


# ------------------------------------------------------------------ titles


def _coined(rng: random.Random) -> str:
    return rng.choice(_COIN_HEAD) + rng.choice(_COIN_TAIL) + rng.choice(_COIN_SUFFIX)


def _phrase(rng: random.Random) -> str:
    """A title body; about one in six carries an inner-capital or accented word."""
    adj, noun, noun2 = rng.choice(_ADJ), rng.choice(_NOUN), rng.choice(_NOUN)
    domain = rng.choice(_DOMAIN)
    if rng.random() < 0.1:
        domain = rng.choice(_INNER_CAPS)
    elif rng.random() < 0.06:
        domain = rng.choice(_ACCENTED)
    return rng.choice((
        f"{adj} {noun} for {domain} {noun2}",
        f"{adj} {noun} with {rng.choice(_ADJ)} {noun2}",
        f"Towards {adj} {noun} in {domain}",
        f"{rng.choice(_GERUND)} {adj} {noun} via {rng.choice(_ADJ)} {noun2}",
        f"{adj}, {rng.choice(_ADJ)}, and {rng.choice(_ADJ)} {noun} for {domain}",
        f"To {noun2} or Not To {noun2}, That is the Question for {adj} {noun}",
        f"{noun}, {noun2} and {domain}: A {adj} Study of {rng.choice(_NOUN)}",
        f"When {domain} Meets {adj} {noun}",
    ))


def _ending(rng: random.Random) -> str:
    """What the title ends with: the text glued to the first author's name."""
    kind = rng.random()
    if kind < 0.12:
        return f" {rng.choice(_PREPS)} {rng.choice(_ACRONYMS)}"
    if kind < 0.20:
        return f" {rng.choice(_DIGIT_ENDS)}"
    if kind < 0.28:
        return f" {rng.choice(_PUNCT_ENDS)}"
    if kind < 0.36:
        return f" {rng.choice(_LOWER_ENDS)}"
    if kind < 0.44:
        return f" {rng.choice(_PREPS)} {rng.choice(_HYPHEN_ENDS)}"
    if kind < 0.50:
        return f" {rng.choice(_PREPS)} {rng.choice(_INNER_CAPS)}"
    if kind < 0.54:
        return f" in {rng.choice(_ACCENTED)}"
    return ""


def _sentence_case(title: str) -> str:
    """`Self-supervised graph learning for recommendation`: acronyms and brands kept."""
    words = title.split(" ")
    return " ".join([words[0], *(w if _keeps_case(w) else w.lower() for w in words[1:])])


def _keeps_case(word: str) -> bool:
    return sum(c.isupper() for c in word) > 1 or any(c.isdigit() for c in word)


def random_title(rng: random.Random) -> tuple[str, str]:
    """A title and the term its abstract may repeat (the method's name, or a key word)."""
    shape = rng.random()
    term = _coined(rng)
    if shape < 0.08:
        title = f"Can {rng.choice(_ADJ)} {rng.choice(_NOUN)} Solve {rng.choice(_DOMAIN)}?"
    elif shape < 0.12:
        title = f"{term}: {rng.choice(_GERUND)} Your {rng.choice(_NOUN)}!"
    else:
        body = _phrase(rng) + _ending(rng)
        title = f"{term}: {body}" if shape < 0.45 else body
    if rng.random() < 0.05:
        title = _sentence_case(title)
    last = title.rstrip("?!.:)\u201d").split(" ")[-1]
    return title, term if rng.random() < 0.5 else last


# ------------------------------------------------------------------ abstracts


@cache
def _sentence_pool() -> tuple[str, ...]:
    """Filled-in sentences, built once from a fixed seed: fast varied abstracts."""
    rng = random.Random(20260101)
    words = {"a": [w.lower() for w in _ADJ], "n": [w.lower() for w in _NOUN],
             "d": [w.lower() for w in _DOMAIN], "m": _METRICS, "b": _DATASETS}
    pool = []
    for _ in range(6000):
        template = rng.choice(_SENTENCES)
        fills = {key: rng.choice(values) for key, values in words.items()}
        fills |= {"k": rng.randint(2, 12), "p": round(rng.uniform(1, 40), 1),
                  "y": rng.randint(10, 25), "z": rng.randint(1, 9)}
        pool.append(template.format(**fills))
    return tuple(pool)


def random_abstract(rng: random.Random, term: str) -> str:
    """About 1,000-1,800 characters on one line, with occasional LaTeX, URLs and markup."""
    target = rng.randint(1000, 1800)
    parts = [f"In this paper, we study {term} and its role in modern systems."]
    size = len(parts[0])
    pool = _sentence_pool()
    while size < target:
        sentence = rng.choice(_EXTRAS)(rng, term) if rng.random() < 0.06 else rng.choice(pool)
        parts.append(sentence)
        size += len(sentence) + 1
    return " ".join(parts)


# ------------------------------------------------------------------ entries


@dataclass
class _People:
    """The names a page uses, with counts that keep the owner the most named person."""

    owner: str
    owner_count: int
    pool: list[str]
    counts: Counter[str] = field(default_factory=Counter)

    def pick(self, rng: random.Random, taken: set[str]) -> str:
        for _ in range(50):
            name = rng.choice(self.pool) if rng.random() < 0.55 else random_name(rng)
            key = person_key(name)
            if key not in taken and self.counts[key] + 1 < self.owner_count:
                return name
        raise RuntimeError("no free co-author name")  # practically unreachable

    def written(self, rng: random.Random, name: str) -> str:
        recurring = name == self.owner or name in self.pool
        return case_variant(rng, name) if recurring and rng.random() < 0.02 else name


def _authors(rng: random.Random, people: _People, with_owner: bool) -> tuple[tuple[str, ...], bool]:
    et_al = rng.random() < 0.75
    shown = 3 if et_al else rng.randint(1, 3)
    slot = rng.randrange(shown) if with_owner else -1
    taken = {person_key(people.owner)}
    names: list[str] = []
    for i in range(shown):
        name = people.owner if i == slot else people.pick(rng, taken)
        taken.add(person_key(name))
        names.append(people.written(rng, name))
    people.counts.update(person_key(n) for n in names)
    return tuple(names), et_al


def _date(rng: random.Random, no_year: float) -> tuple[int, int, int | None]:
    year = None if rng.random() < no_year else rng.randint(2012, CAPTURE_YEAR - 1)
    month = rng.randint(1, 12)
    day = rng.randint(1, calendar.monthrange(year or CAPTURE_YEAR, month)[1])
    return month, day, year


def _new_entry(rng: random.Random, people: _People, with_owner: bool, titles: TitleRegistry,
               traits: dict[str, float]) -> ExpectedEntry:
    title, term = random_title(rng)
    while not titles.add(title):
        title, term = random_title(rng)
    authors, et_al = _authors(rng, people, with_owner)
    affiliations: tuple[str, ...] = ()
    if rng.random() < traits["affiliations"]:
        affiliations = tuple(rng.sample(_AFFILIATIONS, rng.randint(1, 3)))
    month, day, year = _date(rng, traits["no_year"])
    score = round(rng.uniform(1, 99.9), 1) if rng.random() < traits["scores"] else None
    return ExpectedEntry(title, authors, et_al, affiliations, rng.choice(_CATEGORIES), month,
                         day, year, rng.random() < 0.35, score, random_abstract(rng, term))


def _owner_mask(rng: random.Random, new: int, total: int, shared: int) -> list[bool]:
    """Which new entries show the owner: enough that the owner is the most named person."""
    rate = rng.uniform(0.6, 0.95)
    mask = [rng.random() < rate for _ in range(new)]
    need = max(0, math.ceil(0.55 * total) - shared)
    for i in range(new):
        if sum(mask) >= need:
            break
        mask[i] = True
    return mask


def _entries(rng: random.Random, total: int, owner: str, shared: Sequence[ExpectedEntry],
             titles: TitleRegistry) -> list[ExpectedEntry]:
    mask = _owner_mask(rng, total - len(shared), total, len(shared))
    people = _People(owner, sum(mask) + len(shared),
                     [random_name(rng) for _ in range(rng.randint(3, 12))])
    people.counts.update(person_key(a) for e in shared for a in e.authors)
    traits = {"affiliations": 0.4 if rng.random() < 0.25 else 0.0,
              "no_year": rng.choice((0.0, 0.1, 0.3, 0.5)),
              "scores": 0.5 if rng.random() < 0.2 else 0.0}
    entries = [*shared, *(_new_entry(rng, people, m, titles, traits) for m in mask)]
    entries.sort(key=lambda e: (e.year or CAPTURE_YEAR, e.month, e.day), reverse=True)
    for _ in range(len(entries) // 8):  # newest first, but in no guaranteed order
        i = rng.randrange(len(entries) - 1)
        entries[i], entries[i + 1] = entries[i + 1], entries[i]
    return entries


# ------------------------------------------------------------------ rendering


def _header(rng: random.Random, kind: str, owner: str,
            entries: Sequence[ExpectedEntry]) -> Header:
    if kind == "none":
        return Header()
    n = len(entries)
    field_code = Counter(e.category for e in entries).most_common(1)[0][0]
    full = kind == "full"
    return Header(name=owner if full else None, field=field_code if full else None,
                  h_index=rng.randint(1, min(n * 3, 120)), paper_count=n,
                  citations=int(10 ** rng.uniform(0, 5.3)), novelty=rng.randint(30, 80),
                  ai_score=rng.randint(30, 90), listed=n)


def _header_lines(header: Header) -> list[str]:
    if header.listed is None:
        return []
    top = [header.name, "", header.field] if header.name else []
    return [str(x) for x in top] + [
        f"h-index{header.h_index}", f"{header.paper_count}papers",
        f"{header.citations:,}citations", f"Novelty{header.novelty}%",
        f"AI Score{header.ai_score}", "", f"{header.listed} Papers", ""]


def meta_line(entry: ExpectedEntry) -> str:
    score = f"{entry.score:.1f}" if entry.score is not None else ""
    year = f", {entry.year}" if entry.year is not None else ""
    code = "Code" if entry.has_code else ""
    return f"{score}{entry.category}{MONTHS[entry.month - 1]} {entry.day}{year}{code}"


def author_line(entry: ExpectedEntry) -> str:
    line = ", ".join(entry.authors) + (" et al." if entry.et_al else "")
    return line + (" \u00b7 " + ", ".join(entry.affiliations) if entry.affiliations else "")


def _entry_lines(entry: ExpectedEntry, run_together: bool) -> list[str]:
    if run_together:
        return [meta_line(entry), entry.title + author_line(entry), entry.abstract]
    return [meta_line(entry), entry.title, "", author_line(entry), "", entry.abstract, ""]


def _mess(rng: random.Random, lines: list[str]) -> list[str]:
    """Trailing spaces, a leading blank line, and blank lines doubled now and then."""
    out = [""] if rng.random() < 0.2 else []
    for line in lines:
        if line and rng.random() < 0.15:
            line += " " * rng.randint(1, 3)
        elif not line and rng.random() < 0.15:
            out.append("")
        out.append(line)
    return out


def render(rng: random.Random, page: ExpectedPage) -> str:
    """The page's text exactly as it is saved (BOM and line ends included)."""
    style = page.style
    lines = _header_lines(page.header)
    if style.run_together:
        lines = [line for line in lines if line]
    for entry in page.entries:
        if style.messy and style.run_together and rng.random() < 0.1:
            lines.append("")  # a stray blank line between run-together entries
        lines += _entry_lines(entry, style.run_together)
    while lines and not lines[-1]:
        lines.pop()
    if style.messy:
        lines = _mess(rng, lines)
    ends = ("", "\n", "\n\n \n") if style.messy else ("", "\n")
    text = "\n".join(lines) + rng.choice(ends)
    text = text.replace("\n", "\r\n") if style.crlf else text
    return ("\ufeff" if style.bom else "") + text


def _style(rng: random.Random) -> Style:
    header = rng.choices(("full", "figures", "none"), (0.6, 0.2, 0.2))[0]
    return Style(header, rng.random() < 0.3, rng.random() < 0.1, rng.random() < 0.1,
                 rng.random() < 0.3)


def generate_page(rng: random.Random, entries: int | None = None, *, owner: str | None = None,
                  shared: Sequence[ExpectedEntry] = (),
                  titles: TitleRegistry | None = None) -> tuple[str, ExpectedPage]:
    """One page and its truth. `shared` entries (papers from other pages) must name `owner`."""
    total = entries or rng.randint(MIN_ENTRIES, MAX_ENTRIES)
    owner = owner or random_name(rng)
    style = _style(rng)
    items = _entries(rng, total, owner, shared[:total], titles or TitleRegistry())
    header = _header(rng, style.header, owner, items)
    page = ExpectedPage(header.name, owner, header, tuple(items), style)
    return render(rng, page), page


# ------------------------------------------------------------------ corpus


@dataclass
class _Sharing:
    """Recent papers, so that a later page can be a co-author's and list some of them."""

    recent: deque[ExpectedEntry] = field(default_factory=lambda: deque(maxlen=3000))
    owners: set[str] = field(default_factory=set)

    def next_owner(self, rng: random.Random) -> tuple[str, list[ExpectedEntry]]:
        if self.recent and rng.random() < 0.3:
            entry = rng.choice(self.recent)
            name = rng.choice(entry.authors)
            if person_key(name) not in self.owners and name == _canonical(name):
                key = person_key(name)
                papers = [e for e in self.recent if key in {person_key(a) for a in e.authors}]
                return name, papers[: rng.randint(1, 8)]
        name = random_name(rng)
        while person_key(name) in self.owners:
            name = random_name(rng)
        return name, []

    def add(self, page: ExpectedPage, shared: Sequence[ExpectedEntry]) -> None:
        self.owners.add(person_key(page.owner))
        old = {id(e) for e in shared}
        self.recent.extend(e for e in page.entries if id(e) not in old)


def _canonical(name: str) -> str:
    """Names written as generated: every word capitalised except known particles."""
    particles = {"de", "van", "der"}
    return " ".join(w if w in particles else w[:1].upper() + w[1:] for w in name.split(" "))


def _page_size(rng: random.Random, remaining: int) -> int:
    size = min(rng.randint(MIN_ENTRIES, MAX_ENTRIES), remaining)
    return remaining if remaining - size < MIN_ENTRIES and remaining <= MAX_ENTRIES else size


def generate_corpus(out_dir: Path, papers: int, seed: int = 0) -> CorpusInfo:
    """Write pages holding `papers` entries in all, one file at a time; see CorpusInfo."""
    out_dir.mkdir(parents=True, exist_ok=True)
    rng = random.Random(seed)
    info = CorpusInfo(str(out_dir), seed)
    titles, sharing = TitleRegistry(), _Sharing()
    while info.papers < papers:
        size = _page_size(rng, papers - info.papers)
        owner, shared = sharing.next_owner(rng)
        shared = shared[: size // 2]
        text, page = generate_page(rng, size, owner=owner, shared=shared, titles=titles)
        data = text.encode("utf-8")
        name = f"{info.pages:06d}_{hashlib.sha1(data).hexdigest()[:16]}.txt"
        (out_dir / name).write_bytes(data)
        sharing.add(page, shared)
        info.pages += 1
        info.papers += size
        info.shared_entries += len(shared)
        info.run_together_pages += page.style.run_together
        info.bytes += len(data)
    info.distinct_papers = len(titles.seen)
    (out_dir / MANIFEST).write_text(json.dumps(asdict(info), indent=2) + "\n")
    return info


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("out_dir", type=Path)
    parser.add_argument("--papers", type=int)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--real", action="store_true",
                        help="render the real arXiv sample instead (bench/realpages.py)")
    args = parser.parse_args(argv)
    if args.real:
        import realpages  # beside this file; it renders with this module's render()

        realpages.main([str(args.out_dir), "--seed", str(args.seed)])
        return
    if args.papers is None:
        parser.error("--papers is required (or --real)")
    info = generate_corpus(args.out_dir, args.papers, args.seed)
    print(json.dumps(asdict(info), indent=2))


if __name__ == "__main__":
    main()
