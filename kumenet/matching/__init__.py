"""Partner matching: candidates (:mod:`.candidates`), scorers (:mod:`.scorers`,
:mod:`.model`), suggestions with reasons (:mod:`.recommend`), consortia (:mod:`.consortium`),
temporal evaluation (:mod:`.evaluate`) and value-chain links (:mod:`.valuechain`)."""
