"""represent stage: features of articles for later stages.

* :mod:`newsprism.represent.base`: the :class:`Representer` protocol, :class:`ArticleFeatures`;
* :mod:`newsprism.represent.features`: :class:`LinkRepresenter`, the default for linking
  (shingles + MinHash, sentence fingerprints, hashed streaming TF-IDF, from one tokenisation);
* :mod:`newsprism.represent.minhash`, :mod:`newsprism.represent.tfidf`,
  :mod:`newsprism.represent.text`: the parts;
* :mod:`newsprism.represent.embedding`: dense sentence embeddings (ONNX MiniLM), loaded on use.
"""
