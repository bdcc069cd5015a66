"""Every word kumenet's outputs show people, in English and Turkish: one catalogue.

The report, the maps, the reasons of partner suggestions, cluster profiles, region potentials
and the charts take their words from here. A message is looked up by key and filled in with
:func:`text`; numbers in it are written the language's way by Babel (``20.038`` and ``0,89``
in Turkish, ``20,038`` and ``0.89`` in English; Turkish percentages as ``%72``). Data values
that have a name in each language (layers, kinds, subtypes, scopes, labels, yes/no) go
through :func:`term`; values kumenet does not know are shown as they are.

Commands with ``--lang`` default to Turkish; library functions that return tables default to
English (``lang="en"``) so that scripts read stable text.

>>> text("report.n_communities", "tr", k=62, layers="tedarik", q=0.6258)
'62 topluluk (Leiden, tedarik); kalite 0,626.'
>>> number(20038, "tr"), number(0.894, "tr", 2), percent(0.72, "tr"), percent(0.72, "en")
('20.038', '0,89', '%72', '72%')
>>> term("layer", "supply", "tr"), term("layer", "own_layer", "tr"), term("bool", True, "tr")
('tedarik', 'own_layer', 'evet')
"""

from __future__ import annotations

import re
import string
from functools import lru_cache

import numpy as np

LANGS = ("tr", "en")
_SLOT = {"en": 0, "tr": 1}  # MESSAGES holds (English, Turkish) pairs
LOCALES = {"tr": "tr_TR", "en": "en_GB"}

# key: (English, Turkish). Placeholders are str.format fields; numbers in them are written
# for the language (see _Formatter).
MESSAGES: dict[str, tuple[str, str]] = {
    # -- the report ------------------------------------------------------------------------
    "report.title": ("Network report", "Ağ raporu"),
    "report.as_of": ("as of {year}", "{year} itibarıyla"),
    "report.summary": ("Summary", "Özet"),
    "report.map": ("Network map", "Ağ haritası"),
    "report.provinces": ("Provinces", "İller"),
    "report.communities": ("Communities", "Topluluklar"),
    "report.brokers": ("Top brokers", "Öne çıkan aracılar"),
    "report.suggestions": ("Partner suggestions", "Ortaklık önerileri"),
    "report.clusters": ("Cluster evaluation", "Küme değerlendirmesi"),
    "report.regions": ("Regional economy (Eurostat, {year})", "Bölgesel ekonomi (Eurostat, {year})"),
    "report.sources": ("Sources", "Kaynaklar"),
    "report.openness": ("Openness of the provinces' ties", "İllerin bağlarının açıklığı"),
    "report.firms_map": ("Firms per province", "İllere göre firma sayısı"),
    "report.community_sizes": ("Largest communities (nodes)", "En büyük topluluklar (düğüm)"),
    "report.n_communities": ("{k} communities (Leiden on {layers}); quality {q:.3f}.",
                             "{k} topluluk (Leiden, {layers}); kalite {q:.3f}."),
    "report.agreement": (" Agreement with the declared clusters: NMI {nmi:.3f}, ARI {ari:.3f}.",
                         " Beyan edilen kümelerle uyum: NMI {nmi:.3f}, ARI {ari:.3f}."),
    "report.suggest_intro": (
        "For every firm the best three partners in each scope; shown: the strongest "
        "suggestions of each scope. Strength 5 of 5 is the firm's best candidate; the score "
        "itself is in the next column. The full list: kumenet match DATA --all --per-scope.",
        "Her firma için her kapsamda en iyi üç ortak; burada her kapsamın en güçlü önerileri "
        "gösterilir. Güç 5/5, firmanın en iyi adayıdır; puanın kendisi yanındaki sütundadır. "
        "Tam liste: kumenet match DATA --all --per-scope."),
    "report.regions_intro": (
        "Employment specialisation (location quotient, LQ) of the NUTS-2 regions holding most "
        "of the network's firms, and the sectors each could grow into (density of related "
        "sectors already present).",
        "Ağdaki firmaların çoğunun bulunduğu İBBS-2 bölgelerinin istihdam uzmanlaşması "
        "(yerelleşme katsayısı, LQ) ve her bölgenin büyüyebileceği sektörler (ilişkili "
        "sektörlerin yoğunluğu)."),
    "report.sources_text": (
        "Province outlines © OpenStreetMap contributors (ODbL). Regional employment: Eurostat "
        "lfst_r_lfe2en2. Input-output links: WIOD 2013 release. Made with kumenet {version}.",
        "İl sınırları © OpenStreetMap katkıda bulunanlar (ODbL). Bölgesel istihdam: Eurostat "
        "lfst_r_lfe2en2. Girdi-çıktı bağları: WIOD 2013. kumenet {version} ile hazırlandı."),
    "report.no_clusters": ("No cluster could be evaluated: {why}",
                           "Hiçbir küme değerlendirilemedi: {why}"),
    # measures of the overview table (kumenet info's names)
    "measure.nodes": ("nodes", "düğüm"),
    "measure.firms": ("firms", "firma"),
    "measure.institutions": ("institutions", "kurum"),
    "measure.edges (tie-years)": ("records (tie-years)", "kayıt (bağ-yıl)"),
    "measure.layers": ("layers", "katman"),
    "measure.provinces": ("provinces", "il"),
    "measure.countries": ("countries", "ülke"),
    "measure.first year": ("first year", "ilk yıl"),
    "measure.last year": ("last year", "son yıl"),
    "measure.degree": ("degree", "derece"), "measure.strength": ("strength", "bağ gücü"),
    "measure.pagerank": ("PageRank", "PageRank"), "measure.betweenness": ("betweenness", "arasındalık"),
    "measure.eigenvector": ("eigenvector centrality", "özvektör merkeziliği"),
    # column headers of the report's tables
    "col.measure": ("", ""), "col.metric": ("", ""), "col.value": ("", ""),
    "col.edges": ("records (tie-years)", "kayıt (bağ-yıl)"),
    "col.pairs": ("pairs", "çift"),
    "col.first_year": ("first year", "ilk yıl"), "col.last_year": ("last year", "son yıl"),
    "col.layer": ("layer", "katman"), "col.directed": ("directed", "yönlü"),
    "col.nodes": ("nodes", "düğüm"), "col.ties": ("ties", "bağ"),
    "col.density": ("density", "yoğunluk"), "col.group": ("province", "il"),
    "col.firms": ("firms", "firma"), "col.internal_density": ("density inside", "iç yoğunluk"),
    "col.share_intra_regional": ("same province", "aynı il"),
    "col.share_interregional": ("other provinces", "diğer iller"),
    "col.share_international": ("abroad", "yurt dışı"),
    "col.internal_ties": ("ties inside", "iç bağ"), "col.external_ties": ("ties outside", "dış bağ"),
    "col.clustering": ("clustering", "kümelenme"),
    "col.institutional_embeddedness": ("institutional embeddedness", "kurumsal gömülülük"),
    "col.ei_index": ("E-I index", "E-I endeksi"), "col.brokers": ("brokers", "aracı"),
    "col.community": ("community", "topluluk"), "col.size": ("nodes", "düğüm"),
    "col.main_province": ("main province", "ana il"),
    "col.main_sector": ("main sector", "ana sektör"),
    "col.examples": ("best connected", "en bağlantılı"), "col.name": ("name", "ad"),
    "col.kind": ("kind", "tür"), "col.province": ("province", "il"),
    "col.betweenness": ("betweenness", "arasındalık"),
    "col.brokerage": ("brokerage", "aracılık"),
    "col.source_name": ("firm", "firma"), "col.target_name": ("suggested partner", "önerilen ortak"),
    "col.strength": ("strength", "güç"), "col.score": ("score", "puan"),
    "col.reason": ("why", "neden"), "col.rank": ("rank", "sıra"),
    "col.cluster": ("cluster", "küme"), "col.label": ("label", "derece"),
    "col.profile": ("profile", "profil"), "col.region": ("region", "bölge"),
    "col.top_sectors": ("most specialised (LQ)", "en uzmanlaşmış (LQ)"),
    "col.potential": ("could grow into", "büyüyebileceği"),
    "col.target_province": ("province", "il"), "col.target_country": ("country", "ülke"),
    "col.id": ("id", "kimlik"), "col.subtype": ("type", "alt tür"),
    "col.country": ("country", "ülke"), "col.sector": ("sector", "sektör"),
    "col.scope": ("scope", "kapsam"),
    "col.employees": ("employees", "çalışan"), "col.exports_usd": ("exports (USD)", "ihracat (USD)"),
    "col.members": ("members", "üye"), "col.founded": ("founded", "kuruluş yılı"),
    # headers of the screen's tables where the report's differ
    "screen.measure": ("measure", "ölçü"), "screen.metric": ("metric", "ölçüt"),
    "screen.value": ("value", "değer"), "screen.section": ("section", "bölüm"),
    "screen.meaning": ("meaning", "anlamı"), "screen.field": ("field", "alan"),
    "screen.auc": ("AUC", "AUC"),
    "screen.average_precision": ("average precision", "ortalama kesinlik"),
    "screen.candidate_recall": ("candidate recall", "aday kapsama"),
    "screen.change": ("change", "değişim"),
    "screen.cog": ("opportunity gain", "fırsat kazancı"),
    "screen.community_name": ("community name", "topluluk adı"),
    "screen.community_size": ("community size", "topluluk büyüklüğü"),
    "screen.components": ("components", "bileşen"),
    "screen.constraint": ("constraint", "kısıt"),
    "screen.coordinator": ("coordinator", "koordinatör"),
    "screen.coreness": ("coreness", "çekirdek düzeyi"),
    "screen.effective_size": ("effective size", "etkin büyüklük"),
    "screen.eigenvector": ("eigenvector", "özvektör"),
    "screen.establishments": ("establishments", "işyeri"),
    "screen.focus_star": ("focus star", "odak yıldızı"),
    "screen.gatekeeper": ("gatekeeper", "kapı bekçisi"),
    "screen.hits_at_k": ("hits at k", "k içinde isabet"),
    "screen.in_degree": ("in-degree", "iç derece"),
    "screen.in_strength": ("in-strength", "gelen bağ gücü"),
    "screen.itinerant": ("itinerant", "gezgin"),
    "screen.jaccard": ("Jaccard", "Jaccard"),
    "screen.k": ("k", "k"),
    "screen.label_before": ("label before", "önceki derece"),
    "screen.largest_component_share": ("largest component", "en büyük bileşen payı"),
    "screen.layer_a": ("layer A", "katman A"),
    "screen.layer_b": ("layer B", "katman B"),
    "screen.liaison": ("liaison", "irtibatçı"),
    "screen.lq_rank": ("LQ rank", "LQ sırası"),
    "screen.mean_degree": ("mean degree", "ortalama derece"),
    "screen.missing": ("missing", "eksik"),
    "screen.mrr": ("MRR", "MRR"),
    "screen.normalised": ("normalised", "normalize"),
    "screen.out_degree": ("out-degree", "dış derece"),
    "screen.out_strength": ("out-strength", "giden bağ gücü"),
    "screen.pagerank": ("PageRank", "PageRank (etki)"),
    "screen.pairs_a": ("pairs A", "çift A"),
    "screen.pairs_b": ("pairs B", "çift B"),
    "screen.participation": ("participation", "katılım"),
    "screen.pci": ("PCI", "PCI"),
    "screen.precision_at_k": ("precision at k", "k içinde kesinlik"),
    "screen.rca": ("RCA", "RCA"),
    "screen.recall_at_k": ("recall at k", "k içinde duyarlılık"),
    "screen.reciprocity": ("reciprocity", "karşılıklılık"),
    "screen.region_name": ("region name", "bölge adı"),
    "screen.representative": ("representative", "temsilci"),
    "screen.scorer": ("scorer", "puanlayıcı"),
    "screen.sector_name": ("sector name", "sektör adı"),
    "screen.share_of_region": ("share of region", "bölgedeki pay"),
    "screen.share_of_sector": ("share of sector", "sektördeki pay"),
    "screen.shared": ("shared", "ortak"),
    "screen.size_star": ("size star", "büyüklük yıldızı"),
    "screen.source": ("source", "kaynak"),
    "screen.source_kind": ("source kind", "kaynak türü"),
    "screen.sources": ("sources", "kaynak sayısı"),
    "screen.specialisation_star": ("specialisation star", "uzmanlaşma yıldızı"),
    "screen.stars": ("stars", "yıldız"),
    "screen.strong": ("strong", "güçlü"),
    "screen.table": ("table", "tablo"),
    "screen.target": ("target", "hedef"),
    "screen.target_kind": ("partner kind", "ortak türü"),
    "screen.target_sector": ("partner sector", "ortak sektörü"),
    "screen.transitivity": ("transitivity", "geçişlilik"),
    "screen.versatility": ("versatility", "çok yönlülük"),
    "screen.weight": ("weight", "ağırlık"),
    "screen.year": ("year", "yıl"),
    "screen.overview": ("overview", "genel bakış"),
    "screen.overlap": ("overlap", "katman örtüşmesi"),
    "screen.clusters": ("clusters", "kümeler"),
    "screen.details": ("details", "ayrıntılar"),
    "screen.result": ("result", "sonuç"),
    # -- maps -------------------------------------------------------------------------------
    "map.search": ("Search a firm or institution", "Firma veya kurum ara"),
    "map.layers": ("Layers", "Katmanlar"),
    "map.no_match": ("no match", "sonuç yok"),
    "map.nodes": ("nodes", "düğüm"),
    "map.suggested": ("suggested partnership", "önerilen ortaklık"),
    "map.community": ("Community", "Topluluk"),
    "map.province": ("Province / country", "İl / ülke"),
    "map.sector": ("Sector (NACE division)", "Sektör (NACE bölümü)"),
    "map.kind": ("Kind", "Tür"), "map.layer": ("Main layer", "Ana katman"),
    "map.cluster": ("Cluster", "Küme"), "map.group": ("Group", "Grup"),
    "map.other": ("other", "diğer"), "map.unknown": ("unknown", "bilinmiyor"),
    "map.degree": ("degree", "derece"), "map.members": ("members", "üye"),
    "map.firms": ("firms", "firma"), "map.ties": ("ties", "bağ"),
    "map.n_ties": ("{n} ties", "{n} bağ"),
    "map.small_groups": ("small groups ({n:,})", "küçük gruplar ({n:,})"),
    "map.small_groups_tip": ("{k} groups of fewer than {size} nodes each",
                             "her biri {size} düğümden küçük {k} grup"),
    "map.largest": ("largest {n} of {k:,}", "{k:,} grubun en büyük {n} tanesi"),
    "map.aggregated_title": ("{title}: aggregated view, {k:,} groups by {by}",
                             "{title}: toplu görünüm, {by} göre {k:,} grup"),
    "map.aggregated": (
        "This network has {n:,} nodes, more than {limit:,}: each circle is one of its {k:,} {by} "
        "groups (the smallest gathered in one), ties summed. Open one with: kumenet map DATA "
        "--group NAME.",
        "Bu ağda {n:,} düğüm var ({limit:,} sınırının üstünde): her daire {k:,} {by} grubundan "
        "biridir (en küçükleri tek dairede), bağlar toplanmıştır. Birini açmak için: kumenet map "
        "DATA --group AD."),
    "map.opened": (
        "{group}: {n:,} nodes, more than {limit:,}: each circle is one of its {k:,} groups by "
        "{by}. Open one with: kumenet map DATA --group \"{group} / NAME\".",
        "{group}: {n:,} düğüm ({limit:,} sınırının üstünde): her daire {by} göre {k:,} gruptan "
        "biridir. Birini açmak için: kumenet map DATA --group \"{group} / AD\"."),
    "map.ego": ("{name} and everything within {hops} steps; dashed: suggested partners.",
                "{name} ve {hops} adım çevresi; kesikli çizgiler: önerilen ortaklar."),
    "map.no_location": ("placed below the map: no province or country known",
                        "haritanın altında: il veya ülke bilinmiyor"),
    "map.map_of": ("Network map", "Ağ haritası"),
    "map.geo_of": ("Geographic view", "Coğrafi görünüm"),
    "map.credit": ("© OpenStreetMap contributors", "© OpenStreetMap katkıda bulunanlar"),
    # 'by' of aggregated maps, in the form the sentences above need
    "by.community": ("community", "topluluğa"), "by.province": ("province / country", "il / ülkeye"),
    "by.sector": ("sector", "sektöre"), "by.cluster": ("cluster", "kümeye"),
    "by.kind": ("kind", "türe"),
    "group.community": ("community", "topluluk"), "group.province": ("province / country", "il / ülke"),
    "group.sector": ("sector", "sektör"), "group.cluster": ("cluster", "küme"),
    "group.kind": ("kind", "tür"),
    # -- province charts --------------------------------------------------------------------
    "chart.firms": ("Firms per province", "İllere göre firma sayısı"),
    "chart.institutions": ("Institutions per province", "İllere göre kurum sayısı"),
    "chart.nodes": ("Actors per province", "İllere göre aktör sayısı"),
    "chart.employees": ("Employees per province", "İllere göre çalışan sayısı"),
    "chart.exports_usd": ("Exports per province (USD)", "İllere göre ihracat (USD)"),
    "chart.size": ("Actors per province", "İllere göre aktör sayısı"),
    "chart.internal_ties": ("Ties inside each province", "İl içi bağ sayısı"),
    "chart.external_ties": ("Ties to other provinces and abroad", "İl dışıyla bağ sayısı"),
    "chart.internal_density": ("Density of ties inside each province", "İl içi bağ yoğunluğu"),
    "chart.clustering": ("Clustering among each province's actors",
                         "İllerin aktörleri arasında kümelenme"),
    "chart.share_intra_regional": ("Share of ties within the province", "İl içi bağların payı"),
    "chart.share_interregional": ("Share of ties to other provinces",
                                  "Diğer illerle bağların payı"),
    "chart.share_international": ("Share of ties abroad", "Yurt dışıyla bağların payı"),
    "chart.ei_index": ("E-I index (external minus internal ties, over all)",
                       "E-I endeksi (dış eksi iç bağlar, tüm bağlara oranı)"),
    "chart.institutional_embeddedness": ("Institutional embeddedness", "Kurumsal gömülülük"),
    "chart.brokers": ("Brokers per province", "İllere göre aracı sayısı"),
    "chart.no_data": ("no data", "veri yok"),
    "community.unnamed": ("community {c}", "topluluk {c}"),
    # -- reasons of partner suggestions -----------------------------------------------------
    "reason.shared_one": ("1 shared partner{in_layer}{by_layer}", "{in_layer}1 ortak iş ortağı{by_layer}"),
    "reason.shared_many": ("{n} shared partners{in_layer}{by_layer}",
                           "{in_layer}{n} ortak iş ortağı{by_layer}"),
    "reason.in_layer": (" in the {layer} layer", "{layer} katmanında "),
    "reason.value_chain": (
        "their sectors are linked in the value chain: {supplier} → {buyer} ({pct}% of the "
        "buying sector's domestic inputs in Turkey's input-output table)",
        "sektörleri değer zincirinde bağlı: {supplier} → {buyer} (alıcı sektörün yurt içi "
        "girdilerindeki payı %{pct}; Türkiye girdi-çıktı tablosu)"),
    "reason.institution_serving": ("an institution ({subtype}) that serves the firm's area",
                                   "firmanın bölgesine hizmet veren bir kurum ({subtype})"),
    "reason.institution_target": ("an institution ({subtype})", "bir kurum ({subtype})"),
    "reason.institution": ("both members of {institution}", "ikisi de {institution} üyesi"),
    "reason.more_institutions": (" and {n} more", " (ve {n} kurum daha)"),
    "reason.buyer": ("a buyer in {country} (export market)", "{country} alıcısı (ihracat pazarı)"),
    "reason.supplier": ("a supplier in {country}", "{country} tedarikçisi"),
    "reason.far": ("reachable through partners of partners (three steps)",
                   "iş ortaklarının ortakları üzerinden ulaşılabilir (üç adım)"),
    "reason.same_sector": ("same sector ({sector})", "aynı sektör ({sector})"),
    "reason.active_one": ("active: 1 new partner in its latest year{by}",
                          "etkin: son yılında{by} 1 yeni ortak"),
    "reason.active_many": ("active: {n} new partners in its latest year{by}",
                           "etkin: son yılında{by} {n} yeni ortak"),
    "reason.by_year": (" by {year}", " ({year} itibarıyla)"),
    "reason.otherwise": ("suggested by the scorer from the network's overall activity",
                         "ağın genel etkinliğine göre puanlayıcının önerisi"),
    # -- what commands with --lang say on standard error -------------------------------------
    "cli.betweenness_sampled": ("betweenness estimated from {sample} sampled source nodes",
                                "arasındalık örneklenen {sample} kaynak düğümden tahmin edildi"),
    "cli.stability": ("stability over {runs} seeds: mean consensus share {share:.3f}",
                      "{runs} tohum üzerinde kararlılık: ortalama uzlaşı payı {share:.3f}"),
    "cli.communities": ("{method}: {k} communities, quality {q:.4f}",
                        "{method}: {k} topluluk, kalite {q:.4f}"),
    "cli.agreement": ("agreement with '{column}' ({nodes} nodes): NMI {nmi:.3f}, ARI {ari:.3f}",
                      "'{column}' ile uyum ({nodes} düğüm): NMI {nmi:.3f}, ARI {ari:.3f}"),
    "cli.initiative_added": ("initiative added: {name} ({n:,} members from {year})",
                             "girişim eklendi: {name} ({year} yılından {n:,} üye)"),
    "cli.no_initiatives": ("no initiatives yet (kumenet initiatives add)",
                           "henüz girişim yok (kumenet initiatives add)"),
    "cli.activity_recorded": ("activity recorded: {title} ({date}, {n} participants)",
                              "faaliyet kaydedildi: {title} ({date}, {n} katılımcı)"),
    "cli.figures_recorded": ("figures of {file}: {new:,} new, {replaced:,} replaced",
                             "{file} rakamları: {new:,} yeni, {replaced:,} yenilendi"),
    "cli.workspace_backup": ("backup of the old workspace: {path}",
                             "eski çalışma alanının yedeği: {path}"),
    "cli.workspace_created": ("workspace created: {where} (schema {schema})",
                              "çalışma alanı oluşturuldu: {where} (şema {schema})"),
    "cli.workspace_current": ("workspace already up to date: {where} (schema {schema})",
                              "çalışma alanı zaten güncel: {where} (şema {schema})"),
    "cli.workspace_upgraded": ("workspace upgraded: {where} (schema {schema})",
                               "çalışma alanı yükseltildi: {where} (şema {schema})"),
    "cli.imported": ("imported {log}: {introductions:,} introductions, {events:,} steps",
                     "{log} alındı: {introductions:,} tanıştırma, {events:,} adım"),
    "cli.copied": ("copied {src} into {dst}: {what}", "{src}, {dst} içine kopyalandı: {what}"),
    "cli.user_added": ("added {name} ({role})", "{name} eklendi ({role})"),
    "cli.user_disabled": ("disabled {name}", "{name} devre dışı bırakıldı"),
    "cli.user_enabled": ("enabled {name}", "{name} yeniden etkin"),
    "cli.password_set": ("new password for {name}", "{name} için yeni parola kaydedildi"),
    "cli.centre_added": ("added the centre {code}", "{code} merkezi eklendi"),
    "cli.choice_added": ("added {code} to {name}", "{code}, {name} listesine eklendi"),
    "cli.shortlisted": ("shortlisted {n:,} introductions from {table}",
                        "{table} dosyasından {n:,} tanıştırma kısa listeye alındı"),
    # progress bars
    "progress.node_metrics": ("node metrics", "düğüm ölçüleri"),
    "progress.snapshot": ("snapshot", "anlık görüntü"),
    "progress.scorers": ("scorers", "puanlayıcılar"),
    "progress.briefs": ("briefs", "kılavuzlar"),
    "progress.writing_tables": ("writing tables", "tablolar yazılıyor"),
    "progress.analysis": ("analysis", "çözümleme"),
    "progress.writing": ("writing", "yazılıyor"),
    "progress.matching": ("matching", "eşleştirme"),
    "progress.training": ("training", "eğitim"),
    "snapshot.reused": ("snapshot: {path} (reused: the network has not changed)",
                        "anlık görüntü: {path} (yeniden kullanıldı: ağ değişmedi)"),
    "snapshot.building": ("building the snapshot of {name} (once: later runs reuse it until "
                          "the network changes)", "{name} için anlık görüntü hazırlanıyor (bir "
                          "kez: ağ değişmedikçe sonraki çalıştırmalar onu kullanır)"),
    "snapshot.path": ("snapshot: {path}", "anlık görüntü: {path}"),
    "cli.workspace_in": ("workspace: {where}", "çalışma alanı: {where}"),
    "cli.workspace_login_all": ("workspace: {where}; every page needs a login",
                                "çalışma alanı: {where}; her sayfa oturum ister"),
    "cli.workspace_login_write": ("workspace: {where}; writing needs a login",
                                  "çalışma alanı: {where}; yazmak oturum ister"),
    "cli.portal_at": ("kumenet portal: {url} (Ctrl+C stops it)",
                      "kumenet portalı: {url} (durdurmak için Ctrl+C)"),
    "cli.briefs_for": ("{n} cluster(s); finding the partner suggestions the briefs cite",
                       "{n} küme; kılavuzların andığı ortaklık önerileri bulunuyor"),
    "cli.national_growth": ("national growth {start}-{end}: {growth}",
                            "ulusal büyüme {start}-{end}: {growth}"),
    "cli.wrote": ("wrote {path}", "yazıldı: {path}"),
    "cli.warnings_seen": (
        "({n} warning(s) about {data} shown by an earlier command not repeated: kumenet "
        "validate {data} shows them again)",
        "({data} hakkında önceki bir komutun gösterdiği {n} uyarı tekrarlanmadı: kumenet "
        "validate {data} hepsini yeniden gösterir)"),
    "cli.wrote_what": ("wrote {path} ({what})", "yazıldı: {path} ({what})"),
    "cli.counts": ("{nodes:,} nodes, {edges:,} edges", "{nodes:,} düğüm, {edges:,} bağ"),
    "cli.valid": ("OK: {data}: {nodes:,} nodes, {edges:,} edges, layers {layers}",
                  "Tamam: {data}: {nodes:,} düğüm, {edges:,} bağ; katmanlar: {layers}"),
    "cli.tables": ("tables {names}", "tablolar: {names}"),
    "cli.trained": ("trained on candidates as of {cut}, positives: {positives}",
                    "{cut} itibarıyla adaylar üzerinde eğitildi, olumlu örnek: {positives}"),
    "cli.suggestions": ("{n:,} suggestions", "{n:,} öneri"),
    "cli.no_suggestions": ("no suggestions (every candidate was filtered out or is a partner "
                           "already)", "öneri yok (her aday ya elendi ya da zaten ortak)"),
    "cli.scorer": ("scorer: {reason}", "puanlayıcı: {reason}"),
    "cli.dask": ("blocks run on Dask: scheduler {address}, {n} workers",
                 "bloklar Dask üzerinde: zamanlayıcı {address}, {n} çalışan"),
    "cli.no_consortium": (
        "no consortium of {low} to {high} firms: the partners and suggested partners of the "
        "firm(s) neither cover {low} linked steps of a value chain nor sell to the same export "
        "market",
        "{low}-{high} firmalık konsorsiyum yok: firma(lar)ın ortakları ve önerilen ortakları ne "
        "değer zincirinin birbirine bağlı {low} adımını kapsıyor ne de aynı ihracat pazarına "
        "satıyor"),
    "consortium.value_chain": (
        "the firm with suppliers and buyers of its sector: {chain} (each linked to the "
        "firm's sector by at least 5% of the buying sector's inputs in Turkey's input-output "
        "table)",
        "firma, sektörünün tedarikçileri ve alıcılarıyla: {chain} (her biri firmanın "
        "sektörüne Türkiye girdi-çıktı tablosunda alıcı sektörün girdilerinin en az %5'iyle "
        "bağlı)"),
    "consortium.seed": ("the firm asked about", "sorulan firma"),
    "consortium.supplier": ("supplies it: {sector}", "tedarikçi: {sector}"),
    "consortium.buyer": ("buys from it: {sector}", "alıcı: {sector}"),
    "consortium.export": (
        "{n} firms of one trade (NACE {group}) that sell to buyers in {market}: a joint export "
        "offer or shared logistics for that market",
        "{market} pazarındaki alıcılara satan, aynı işkolundan (NACE {group}) {n} firma: bu "
        "pazar için ortak ihracat teklifi ya da ortak lojistik"),
    "consortium.exports_to": ("exports to {market}", "{market} pazarına ihracat"),
    "scorer.cached": (" (cached)", " (önbellekten)"),
    "scorer.trained": (
        "trained on the network's history (candidates as of {cut}, {positives:,} of them became "
        "partners in {year}; {rounds} boosting rounds)",
        "ağın geçmişiyle eğitildi ({cut} adayları; {positives:,} tanesi {year} yılında ortak "
        "oldu; {rounds} artırma turu)"),
    "scorer.training": (
        "training a partner scorer on the history up to {last} (once: later runs reuse it until "
        "the network changes)",
        "{last} yılına kadarki geçmişle ortaklık puanlayıcısı eğitiliyor (bir kez: ağ değişmedikçe "
        "sonraki çalıştırmalar onu kullanır)"),
    "scorer.no_years": (
        "the ties have no year, so there is no history to learn from: Adamic-Adar",
        "bağların yılı yok, öğrenilecek geçmiş yok: Adamic-Adar"),
    "scorer.few_years": (
        "too little history to learn from (ties in {n} year(s), 3 needed): Adamic-Adar",
        "öğrenmek için geçmiş yetersiz ({n} yılda bağ var, 3 gerekli): Adamic-Adar"),
    "scorer.few_pairs": (
        "only {n:,} new pairs after {cut} among the candidates, {need} needed",
        "adaylar arasında {cut} sonrasında yalnızca {n:,} yeni ikili var, {need} gerekli"),
    "scorer.cannot_train": ("too little history to learn from ({why}): Adamic-Adar",
                            "öğrenmek için geçmiş yetersiz ({why}): Adamic-Adar"),
    "scorer.model": ("{path} ({positives} positives when trained)",
                     "{path} (eğitimde {positives} olumlu örnek)"),
    # -- the portal --------------------------------------------------------------------------
    "portal.title": ("Knowledge portal", "Bilgi portalı"),
    "portal.home": ("Home", "Ana sayfa"), "portal.search": ("Search", "Ara"),
    "portal.sql": ("SQL", "SQL"), "portal.api": ("API", "API"),
    "portal.search_hint": ("firm, institution, cluster, sector or region",
                           "firma, kurum, küme, sektör veya bölge"),
    "portal.all_kinds": ("all kinds", "tüm türler"),
    "portal.province": ("province", "il"), "portal.sector": ("NACE code", "NACE kodu"),
    "portal.results": ("{total:,} actors", "{total:,} aktör"),
    "portal.page": ("page {page} of {pages}", "sayfa {page} / {pages}"),
    "portal.previous": ("previous", "önceki"), "portal.next": ("next", "sonraki"),
    "portal.no_results": ("Nothing found. Check the spelling, or search a shorter part of the "
                          "name.", "Sonuç yok. Yazımı kontrol edin ya da adın daha kısa bir "
                          "bölümünü arayın."),
    "portal.glance": ("{name}: {nodes:,} actors ({firms:,} firms, {institutions:,} institutions), "
                      "{ties:,} ties", "{name}: {nodes:,} aktör ({firms:,} firma, {institutions:,} "
                      "kurum), {ties:,} bağ"),
    "portal.years": ("Ties per year", "Yıllara göre bağlar"),
    "portal.by_province": ("Actors per province", "İllere göre aktörler"),
    "portal.by_layer": ("Ties per layer", "Katmanlara göre bağlar"),
    "portal.strongest": ("The strongest clusters", "En güçlü kümeler"),
    "portal.attributes": ("Who", "Kimlik bilgileri"),
    "portal.position": ("Position in the network", "Ağdaki konumu"),
    "portal.percentile": ("percentile", "yüzdelik"),
    "portal.percentile_top": ("among the top {n}% of actors of its kind",
                              "türündeki aktörler arasında en yüksek %{n} içinde"),
    "portal.percentile_bottom": ("among the bottom {n}% of actors of its kind",
                                 "türündeki aktörler arasında en düşük %{n} içinde"),
    "portal.suggested": ("Suggested partners", "Önerilen ortaklar"),
    "portal.no_suggestions": ("No suggestion: every candidate is a partner already.",
                              "Öneri yok: her aday zaten ortak."),
    "portal.partners": ("Current partners", "Mevcut ortaklar"),
    "portal.ego_map": ("Its network (dashed: suggested partners)",
                       "Ağı (kesikli: önerilen ortaklar)"),
    "portal.region_of": ("Its region: {region} (Eurostat employment)",
                         "Bölgesi: {region} (Eurostat istihdamı)"),
    "portal.province_of": ("Its province: {province} (the network's firms)",
                           "İli: {province} (ağdaki firmalar)"),
    "portal.members": ("Members", "Üyeler"),
    "portal.cluster_map": ("Its members and their ties", "Üyeleri ve aralarındaki bağlar"),
    "portal.criteria": ("Criteria", "Kriterler"),
    "portal.indicators": ("Indicators", "Göstergeler"),
    "portal.specialisation": ("Specialisation (location quotient)",
                              "Uzmanlaşma (yerelleşme katsayısı)"),
    "portal.could_grow": ("Sectors it could grow into", "Büyüyebileceği sektörler"),
    "portal.firms_here": ("Firms ({n:,})", "Firmalar ({n:,})"),
    "portal.as_of": ("Ties observed up to", "Şu yıla kadar gözlenen bağlar"),
    "portal.all_years": ("every year", "tüm yıllar"), "portal.show": ("Show", "Göster"),
    "portal.print": ("Print", "Yazdır"), "portal.download": ("Download (xlsx)", "İndir (xlsx)"),
    "portal.tab_evaluation": ("Evaluation", "Değerlendirme"),
    "portal.tab_brief": ("Toolkit brief", "Kılavuz"),
    "portal.brief_docx": ("Word (editable plan)", "Word (düzenlenebilir plan)"),
    "portal.brief_html": ("Printable page", "Yazdırılabilir sayfa"),
    "portal.json": ("JSON", "JSON"), "portal.csv": ("Download CSV", "CSV indir"),
    "portal.run": ("Run", "Çalıştır"),
    "portal.sql_intro": ("One read statement (SELECT, WITH, DESCRIBE, ...) over the snapshot's "
                         "tables; at most {rows:,} rows and {seconds:g} seconds; nothing can be "
                         "written, and no file or network can be read.",
                         "Anlık görüntünün tabloları üzerinde tek bir okuma ifadesi (SELECT, "
                         "WITH, DESCRIBE, ...); en çok {rows:,} satır ve {seconds:g} saniye; "
                         "hiçbir şey yazılamaz, dosya veya ağ okunamaz."),
    "portal.schema": ("Tables", "Tablolar"),
    "portal.truncated": ("More rows than {rows:,}: the first are shown.",
                         "{rows:,} satırdan fazla: ilkleri gösteriliyor."),
    "portal.error": ("Something went wrong", "Bir sorun oluştu"),
    "portal.error_text": ("The page could not be shown. Reference: {ref} (the server's log has "
                          "the details).", "Sayfa gösterilemedi. Başvuru numarası: {ref} "
                          "(ayrıntılar sunucu kaydında)."),
    "portal.not_found": ("Not found", "Bulunamadı"),
    "portal.api_path": ("request", "istek"), "portal.api_summary": ("what it answers", "ne döndürür"),
    "portal.language": ("Türkçe", "English"),
    "portal.built": ("snapshot of {built}", "{built} tarihli anlık görüntü"),
    "portal.docs": ("The portal's JSON API", "Portalın JSON API'si"),
    "portal.docs_intro": ("Every page has a JSON twin under /api; the OpenAPI description is "
                          "at /openapi.json.", "Her sayfanın /api altında bir JSON ikizi var; "
                          "OpenAPI tanımı /openapi.json adresinde."),
    "metric.degree": ("partners", "ortak sayısı"),
    "metric.strength": ("tie strength", "bağ gücü"),
    "metric.pagerank": ("PageRank", "etki merkeziliği (PageRank)"),
    "metric.betweenness": ("betweenness", "arasındalık"),
    "metric.brokerage": ("brokerage", "aracılık"),
    "metric.constraint": ("constraint", "kısıt"),
    "metric.clustering": ("clustering", "kümelenme"),
    "metric_help.degree": ("How many different actors it is tied to, in any layer.",
                           "Herhangi bir katmanda kaç farklı aktörle bağı olduğu."),
    "metric_help.strength": ("Its ties counted with their weights and years (tie-years: a tie "
                             "of weight 2 seen in 3 years counts 6).",
                             "Bağlarının ağırlık ve yıllarıyla toplamı (bağ-yıl: 3 yıl görülen "
                             "2 ağırlıklı bir bağ 6 sayılır)."),
    "metric_help.pagerank": ("How central it is, counting the centrality of its partners.",
                             "Ortaklarının merkeziliğini de sayarak ne kadar merkezi olduğu."),
    "metric_help.betweenness": ("How often it lies on the shortest path between two others: a "
                                "bridge between groups.",
                                "İki aktör arasındaki en kısa yolda ne sıklıkla bulunduğu: "
                                "gruplar arasında köprü olması."),
    "metric_help.brokerage": ("How many pairs of its partners reach each other only through "
                              "it (Gould-Fernandez).",
                              "Ortaklarından kaç çiftin birbirine yalnızca onun üzerinden "
                              "ulaştığı (Gould-Fernandez)."),
    "metric_help.constraint": ("How much its partners know each other (Burt): high means a "
                               "closed circle, low means bridging opportunities.",
                               "Ortaklarının birbirini ne kadar tanıdığı (Burt): yüksekse kapalı "
                               "bir çevre, düşükse köprü kurma fırsatı."),
    "metric_help.clustering": ("The share of its partners' pairs that are tied themselves.",
                               "Ortak çiftlerinin kendi aralarında bağlı olanlarının payı."),
    # -- kumenet demo ------------------------------------------------------------------------
    "demo.start": ("kumenet demo on {where}: {nodes:,} actors ({firms:,} firms, {institutions:,} "
                   "institutions), {ties:,} tie-years in {layers} layers",
                   "kumenet demo, {where}: {nodes:,} aktör ({firms:,} firma, {institutions:,} "
                   "kurum), {layers} katmanda {ties:,} bağ-yıl"),
    "demo.communities": ("Communities (Leiden on {layers}): {k}", "Topluluklar (Leiden, {layers}): {k}"),
    "demo.agreement": ("; agreement with the declared clusters NMI {nmi:.3f}, ARI {ari:.3f}",
                       "; beyan edilen kümelerle uyum NMI {nmi:.3f}, ARI {ari:.3f}"),
    "demo.brokers": ("Top brokers (betweenness):", "Öne çıkan aracılar (arasındalık):"),
    "demo.openness": ("Openness of each province (share of ties):",
                      "İllerin açıklığı (bağların payı):"),
    "demo.suggestions": ("Partner suggestions (top 3 per scope for every firm; a few of them):",
                         "Ortaklık önerileri (her firmaya her kapsamda en iyi 3; birkaçı):"),
    "demo.regions": ("Pilot regions, {year} (Eurostat employment): most specialised sector and "
                     "the sector each could grow into:",
                     "Pilot bölgeler, {year} (Eurostat istihdamı): en uzmanlaşmış sektör ve "
                     "büyüyebileceği sektör:"),
    "demo.region": ("{region} {name}: {sector} (LQ {lq:.2f}, {stars} stars) -> could grow into "
                    "{next}", "{region} {name}: {sector} (LQ {lq:.2f}, {stars} yıldız) -> "
                    "büyüyebileceği: {next}"),
    "demo.clusters": ("Cluster evaluation (national scale, 0-100):",
                      "Küme değerlendirmesi (ulusal ölçek, 0-100):"),
    "demo.open": ("Open in any browser (they work offline):",
                  "Herhangi bir tarayıcıda açın (internetsiz çalışır):"),
    "demo.wrote": ("Wrote:", "Yazılan dosyalar:"),
    "demo.workspace": (
        "The workspace, with SAMPLE data ({n:,} introductions, {events:,} steps, 2022-2024, "
        "{initiatives} pilot initiatives: Initiatives in the portal, initiative.html): "
        "kumenet serve {data} --workspace {path}, then log in as ornek.samsun (staff; also "
        "ornek.trabzon, ornek.corum, ornek.kahramanmaras, ornek.gaziantep, ornek.yonetici, "
        "ornek.arastirmaci), password {password}",
        "ÖRNEK verili çalışma alanı ({n:,} tanıştırma, {events:,} adım, 2022-2024, {initiatives} "
        "pilot girişim: portalda Girişimler, initiative.html): kumenet serve "
        "{data} --workspace {path}, sonra ornek.samsun ile giriş yapın (uzman; ayrıca "
        "ornek.trabzon, ornek.corum, ornek.kahramanmaras, ornek.gaziantep, ornek.yonetici, "
        "ornek.arastirmaci), parola {password}"),
    "demo.portal": ("The knowledge portal on this network: run  kumenet serve {data}  and open "
                    "http://127.0.0.1:8000/ in a browser.",
                    "Bu ağın bilgi portalı:  kumenet serve {data}  komutunu çalıştırıp "
                    "tarayıcıda http://127.0.0.1:8000/ adresini açın."),
    # -- cluster evaluation -----------------------------------------------------------------
    "eval.strengths": ("strengths: {items}", "güçlü yanlar: {items}"),
    "eval.improve": ("to improve: {items}", "geliştirilecek: {items}"),
    "eval.item": ("{indicator} ({value}, {rank} of {n})", "{indicator} ({value}, {n} küme içinde {rank}.)"),
    "criterion.economic_impact": ("economic impact", "ekonomik etki"),
    "criterion.demand": ("demand", "talep"),
    "criterion.networking": ("networking and cooperation", "ağ ve işbirliği"),
    "criterion.factor_conditions": ("factor conditions", "faktör koşulları"),
    "indicator.firms": ("firms", "firma sayısı"),
    "indicator.employees": ("employment", "istihdam"),
    "indicator.specialisation": ("specialisation", "uzmanlaşma"),
    "indicator.tie_growth": ("growth of ties", "bağların büyümesi"),
    "indicator.exporter_share": ("exporters", "ihracatçılar"),
    "indicator.exports_per_employee": ("exports per employee", "çalışan başına ihracat"),
    "indicator.international_share": ("international ties", "uluslararası bağlar"),
    "indicator.internal_density": ("internal density", "iç yoğunluk"),
    "indicator.collaboration_per_firm": ("collaboration", "işbirliği"),
    "indicator.interregional_share": ("links to other provinces", "diğer illerle bağlar"),
    "indicator.brokers_share": ("brokers", "aracılar"),
    "indicator.institutional_ties": ("institutional ties", "kurumsal bağlar"),
    "indicator.knowledge_ties": ("knowledge ties", "bilgi bağları"),
    "indicator.value_chain_completeness": ("value-chain completeness",
                                           "değer zinciri bütünlüğü"),
    "value.firms": ("{v:,.0f} firms", "{v:,.0f} firma"),
    "value.employees": ("{v:,.0f} employees", "{v:,.0f} çalışan"),
    "value.specialisation": ("LQ {v:.2f}", "LQ {v:.2f}"),
    "value.tie_growth": ("{v:+.0%} ties", "bağlarda {v:+.0%}"),
    "value.exporter_share": ("{v:.0%} of firms export", "firmaların {v:.0%} kadarı ihracatçı"),
    "value.exports_per_employee": ("{v:,.0f} USD per employee", "çalışan başına {v:,.0f} USD"),
    "value.international_share": ("{v:.0%} of ties abroad", "bağların {v:.0%} kadarı yurt dışıyla"),
    "value.internal_density": ("density {v:.3f}", "yoğunluk {v:.3f}"),
    "value.collaboration_per_firm": ("{v:.1f} collaboration partners per firm",
                                     "firma başına {v:.1f} işbirliği ortağı"),
    "value.interregional_share": ("{v:.0%} of ties to other provinces",
                                  "bağların {v:.0%} kadarı diğer illerle"),
    "value.brokers_share": ("{v:.0%} of firms are brokers", "firmaların {v:.0%} kadarı aracı"),
    "value.institutional_ties": ("{v:.0%} of firms tied to an institution",
                                 "firmaların {v:.0%} kadarı bir kuruma bağlı"),
    "value.knowledge_ties": ("{v:.0%} of firms tied to a university",
                             "firmaların {v:.0%} kadarı bir üniversiteye bağlı"),
    "value.value_chain_completeness": ("{v:.0%} of linked sectors present",
                                       "bağlı sektörlerin {v:.0%} kadarı mevcut"),
    # -- region potentials ------------------------------------------------------------------
    "potential.related": ("related sectors already present: {items}",
                          "mevcut ilişkili sektörler: {items}"),
    "potential.item": ("{sector} (proximity {p:.2f})", "{sector} (yakınlık {p:.2f})"),
    "potential.none": ("no related sector present", "ilişkili sektör yok"),
    # -- the clustering toolkit (kumenet toolkit, the portal's "Kılavuz") -----------------
    # -- initiatives' panels ------------------------------------------------------------
    "activity_kind.b2b_day": ("B2B meeting day", "İkili görüşme günü"),
    "activity_kind.training": ("training", "eğitim"),
    "activity_kind.trade_mission": ("trade mission", "ticaret heyeti"),
    "activity_kind.joint_fair": ("joint fair", "ortak fuar"),
    "activity_kind.shared_facility": ("shared facility", "ortak tesis"),
    "activity_kind.study_visit": ("study visit", "inceleme gezisi"),
    "activity_kind.other": ("other", "diğer"),
    "initiative.rose": ("{name} rose from {a} to {b}", "{name} arttı ({a} → {b})"),
    "initiative.fell": ("{name} fell from {a} to {b}", "{name} azaldı ({a} → {b})"),
    "initiative.same": ("{name} stayed at {b}", "{name} değişmedi ({b})"),
    "initiative.first": ("{name}: {b}", "{name}: {b}"),
    "initiative.joined": ("{n} joined ({names})", "{n} üye katıldı ({names})"),
    "initiative.left": ("{n} left ({names})", "{n} üye ayrıldı ({names})"),
    "initiative.came": ("{n} existing ties counted with the members who joined",
                        "katılan üyelerle {n} mevcut bağ sayıma girdi"),
    "initiative.went": ("{n} ties no longer counted with the members who left",
                        "ayrılan üyelerle {n} bağ sayım dışında kaldı"),
    "initiative.new_among": ("{n} new ties among members ({layers})",
                             "üyeler arasında {n} yeni bağ ({layers})"),
    "initiative.new_outside": ("{n} new ties with non-members ({layers})",
                               "üye olmayanlarla {n} yeni bağ ({layers})"),
    "initiative.after": ("{n} after introductions by the centre: {pairs}",
                         "{n} tanesi merkezin tanıştırmasından sonra: {pairs}"),
    "initiative.abroad": ("first tie abroad: {names}", "ilk yurt dışı bağı: {names}"),
    "initiative.supply": ("first supply tie: {names}", "ilk tedarik bağı: {names}"),
    "initiative.brokers_new": ("now brokers: {names}", "yeni aracılar: {names}"),
    "initiative.brokers_gone": ("no longer brokers: {names}", "artık aracı değil: {names}"),
    "initiative.reported": ("{n} members reported", "{n} üye bildirdi"),
    "initiative.static": ("the firm table's figure, moving only with membership",
                          "firma tablosundaki değer; yalnız üyelikle değişir"),
    "initiative.nothing": ("nothing recorded", "kayıt yok"),
    "initiative.more": ("and {n} more", "ve {n} tane daha"),
    "initiative.no_data": ("not in the data", "veride yok"),
    "initiative.title": ("{name}: initiative panel", "{name}: girişim göstergeleri"),
    "initiative.subtitle": ("Coordinated by {centre} since {year} · provinces: {provinces} · "
                            "sectors: {sectors}",
                            "Koordinasyon: {centre}, {year} yılından beri · iller: "
                            "{provinces} · sektörler: {sectors}"),
    "initiative.members_now": ("{n} members now", "Bugün {n} üye"),
    "initiative.indicator": ("Indicator", "Gösterge"),
    "initiative.criterion": ("Criterion", "Ölçüt"),
    "initiative.report_line": ("Reporting line", "Raporlama kalemi"),
    "initiative.why": ("What moved it in {year}", "{year} yılında neden değişti"),
    "initiative.made": ("Written by kumenet from the network ({network}) and the workspace; "
                        "members are those whose membership spans each year's end. "
                        "Indicators, criteria and reporting lines: {mapping}.",
                        "kumenet tarafından ağdan ({network}) ve çalışma alanından "
                        "hazırlanmıştır; her yıl, yıl sonunda üye olanlar sayılır. "
                        "Göstergeler, ölçütler ve raporlama kalemleri: {mapping}."),
    "initiative.activities": ("Activities", "Faaliyetler"),
    "initiative.members": ("Members", "Üyeler"),
    "initiative.joined_on": ("Joined", "Katılış"),
    "initiative.left_on": ("Left", "Ayrılış"),
    "initiative.participants": ("Participants", "Katılımcı"),
    "initiative.years": ("Every year", "Tüm yıllar"),
    "initiative.year": ("Year", "Yıl"),
    "initiative.value": ("Value", "Değer"),
    "initiative.why_head": ("What moved it", "Neden değişti"),
    "initiative.member": ("Member", "Üye"),
    "initiative.date": ("Date", "Tarih"),
    "initiative.activity": ("Activity", "Faaliyet"),
    "initiative.outcome": ("Outcome", "Sonuç"),
    "toolkit.title": ("{cluster}: cluster toolkit brief", "{cluster}: kümelenme kılavuzu"),
    "toolkit.subtitle": ("{firms:,} member firms · {province} · {sector}",
                         "{firms:,} üye firma · {province} · {sector}"),
    "toolkit.made": ("Written by kumenet from the network's data; every figure can be checked "
                     "against the cluster evaluation, regional and matching tables.",
                     "kumenet tarafından ağın verisinden yazıldı; her sayı küme "
                     "değerlendirmesi, bölge ve eşleştirme tablolarıyla karşılaştırılabilir."),
    "toolkit.points": ("What to do", "Yapılacaklar"),
    "toolkit.sources": ("Rests on:", "Dayandığı veri:"),
    "toolkit.missing": ("Missing:", "Eksik:"),
    "toolkit.fact": ("fact", "bilgi"), "toolkit.value": ("value", "değer"),
    "toolkit.unknown": ("not in the data", "veride yok"), "toolkit.none": ("none", "yok"),
    "toolkit.identification": ("Cluster identification", "Küme tanımlama"),
    "toolkit.identification_intro": (
        "Whether the cluster is there and how strong it is: its size, growth and "
        "specialisation, how complex and related its sector is in the province, the sectors "
        "it could grow into, and its place on the national evaluation's four criteria.",
        "Kümenin varlığı ve gücü: büyüklüğü, büyümesi ve uzmanlaşması, sektörünün ildeki "
        "karmaşıklığı ve ilişkililiği, büyüyebileceği sektörler ve ulusal değerlendirmenin "
        "dört ölçütündeki yeri."),
    "toolkit.members": ("member firms", "üye firma"),
    "toolkit.employees": ("employees", "çalışan"),
    "toolkit.main_province": ("main province", "ana il"),
    "toolkit.main_sector": ("main sector (NACE division)", "ana sektör (NACE bölümü)"),
    "toolkit.evaluation": ("national evaluation", "ulusal değerlendirme"),
    "toolkit.evaluation_value": ("rank {rank} of {n}, score {score}, {label}",
                                 "{n} küme içinde {rank}. sıra, puan {score}, {label}"),
    "toolkit.growth": ("growth of ties (last 3 years)", "bağların büyümesi (son 3 yıl)"),
    "toolkit.lq": ("specialisation in the main province", "ana ildeki uzmanlaşma"),
    "toolkit.stars": ("star criteria (network's firms)", "yıldız ölçütleri (ağın firmaları)"),
    "toolkit.stars_value": ("{stars} of 3 stars: {which}", "3 yıldızdan {stars}: {which}"),
    "toolkit.star_size": ("size", "büyüklük"),
    "toolkit.star_specialisation": ("specialisation", "uzmanlaşma"),
    "toolkit.star_focus": ("focus", "odak"),
    "toolkit.eci": ("complexity and relatedness", "karmaşıklık ve ilişkililik"),
    "toolkit.eci_value": ("province ECI {eci}, sector PCI {pci}, relatedness density {density}",
                          "il ECI {eci}, sektör PCI {pci}, ilişkililik yoğunluğu {density}"),
    "toolkit.region_lq": ("region {region}, Eurostat {year}", "{region} bölgesi, Eurostat {year}"),
    "toolkit.region_lq_value": ("sector group {group}: LQ {lq}, {stars} of 3 stars",
                                "{group} sektör grubu: LQ {lq}, 3 yıldızdan {stars}"),
    "toolkit.criteria": ("The four national evaluation criteria (0-100)",
                         "Ulusal değerlendirmenin dört ölçütü (0-100)"),
    "toolkit.potential": ("Sectors {province} could grow into (relatedness to what it has)",
                          "{province} ilinin büyüyebileceği sektörler (var olanlarla "
                          "ilişkililik)"),
    "toolkit.no_potential": ("No potential sectors: the province has too few firms or sectors "
                             "in the network.",
                             "Potansiyel sektör yok: ilin ağda yeterli firması ya da sektörü "
                             "yok."),
    "toolkit.no_province": ("The cluster has no Turkish province: the province tables do not "
                            "apply.",
                            "Kümenin Türkiye'de bir ili yok: il tabloları uygulanamaz."),
    "toolkit.abroad_in": ("none in Turkey (mostly {country})",
                          "Türkiye'de değil (çoğunlukla {country})"),
    "toolkit.missing_indicator": ("{indicator} could not be measured.",
                                  "{indicator} ölçülemedi."),
    "toolkit.no_years": ("The ties have no years: growth cannot be measured.",
                         "Bağların yılı yok: büyüme ölçülemez."),
    "toolkit.map_title": ("Member firms by province", "İllere göre üye firmalar"),
    "toolkit.activation": ("Cluster activation", "Küme harekete geçirme"),
    "toolkit.activation_intro": (
        "Whom to convene first and which introductions would pay off soonest: anchor firms, "
        "brokers between communities, the institutions already tied to members, the best "
        "suggestions inside the cluster, and the supplier and buyer sectors the province lacks.",
        "Önce kimlerin bir araya getirileceği ve hangi tanıştırmaların en çabuk sonuç vereceği: "
        "çapa firmalar, topluluklar arası aracılar, üyelere zaten bağlı kurumlar, küme içindeki "
        "en iyi öneriler ve ilde eksik olan tedarikçi ve alıcı sektörler."),
    "toolkit.anchors": ("Anchor firms (employees, ties, centrality)",
                        "Çapa firmalar (çalışan, bağ, merkezilik)"),
    "toolkit.brokers": ("Brokers who bridge communities", "Toplulukları birleştiren aracılar"),
    "toolkit.no_brokers": ("No member brokers between communities.",
                           "Topluluklar arasında aracılık eden üye yok."),
    "toolkit.institutions": ("Institutions already tied to members",
                             "Üyelere zaten bağlı kurumlar"),
    "toolkit.no_institutions": ("No institution is tied to the members in the data.",
                                "Veride üyelere bağlı kurum yok."),
    "toolkit.quick_wins": ("Quick-win introductions inside the cluster",
                           "Küme içinde hızlı sonuç verecek tanıştırmalar"),
    "toolkit.no_quick_wins": ("No suggestion joins two members.",
                              "İki üyeyi birleştiren öneri yok."),
    "toolkit.value_chain": ("Value chain: supplier and buyer sectors in {province}",
                            "Değer zinciri: {province} ilindeki tedarikçi ve alıcı sektörler"),
    "toolkit.direction_supplier": ("supplies the cluster", "kümeye tedarik eder"),
    "toolkit.direction_buyer": ("buys from the cluster", "kümeden alır"),
    "toolkit.no_sector": ("The cluster has no main sector or province: no value-chain check.",
                          "Kümenin ana sektörü ya da ili yok: değer zinciri incelenemedi."),
    "toolkit.no_io": ("{sector} has no sector in the input-output table.",
                      "{sector} girdi-çıktı tablosunda bir sektöre karşılık gelmiyor."),
    "toolkit.goods_only": ("Goods-producing sectors only (agriculture, mining, manufacturing): "
                           "trade and services are seldom listed in a cluster's network.",
                           "Yalnızca mal üreten sektörler (tarım, madencilik, imalat): ticaret "
                           "ve hizmetler bir kümenin ağında nadiren yer alır."),
    "toolkit.no_links": ("No sector supplies or buys 5 % or more of the main sector's inputs.",
                         "Ana sektörün girdilerinin %5 ya da fazlasını sağlayan veya alan "
                         "sektör yok."),
    "toolkit.convene": ("Convene the anchor firms first: {names}",
                        "Önce çapa firmaları bir araya getirin: {names}"),
    "toolkit.absent_institutions": ("Bring in the institutions not yet tied to members: {kinds}",
                                    "Üyelere henüz bağlı olmayan kurumları dahil edin: {kinds}"),
    "toolkit.gaps": ("Find suppliers or buyers for the sectors the province lacks: {sectors}",
                     "İlde eksik olan sektörler için tedarikçi ya da alıcı bulun: {sectors}"),
    "toolkit.introduce": ("Make the first introductions: {pairs}",
                          "İlk tanıştırmaları yapın: {pairs}"),
    "toolkit.governance": ("Cluster governance", "Küme yönetişimi"),
    "toolkit.governance_intro": (
        "Who the cluster is made of, against the Kümelenme Destek Programı's minimums for a "
        "legal cluster entity (a chamber, a university and 20 committed firms), and a board "
        "shortlist balanced by centrality, sector, size and province.",
        "Kümenin kimlerden oluştuğu, Kümelenme Destek Programı'nın tüzel küme yapısı için "
        "aradığı asgari koşullar (bir oda, bir üniversite ve 20 taahhütlü firma) ile "
        "karşılaştırması; merkezilik, sektör, büyüklük ve il dengesi gözetilen yönetim kurulu "
        "aday listesi."),
    "toolkit.requirements": ("Programme minimums", "Programın asgari koşulları"),
    "toolkit.requirement_firms": ("committed member firms", "taahhütlü üye firma"),
    "toolkit.requirement_chamber": ("chamber tied to members", "üyelere bağlı oda"),
    "toolkit.requirement_university": ("university tied to members", "üyelere bağlı üniversite"),
    "toolkit.lacks_firms": ("{n} more committed firms are needed ({need} in all).",
                            "{n} taahhütlü firma daha gerekiyor (toplam {need})."),
    "toolkit.lacks_chamber": ("A chamber must join the cluster.", "Kümeye bir oda katılmalı."),
    "toolkit.lacks_university": ("A university must join the cluster.",
                                 "Kümeye bir üniversite katılmalı."),
    "toolkit.legal_entity": ("The legal entity (association or cooperative) and the members' "
                             "written commitment are not in the data: confirm them.",
                             "Tüzel kişilik (dernek ya da kooperatif) ve üyelerin yazılı "
                             "taahhüdü veride yok: doğrulayın."),
    "toolkit.plan_needed": ("A five-year business plan is required: section 5 drafts it.",
                            "Beş yıllık iş planı gerekiyor: 5. bölüm taslağını verir."),
    "toolkit.board": ("Board shortlist", "Yönetim kurulu aday listesi"),
    "toolkit.seat_central": ("most central member", "en merkezi üye"),
    "toolkit.seat_diverse": ("central, and brings a new {what}", "merkezi; yeni bir {what} getirir"),
    "toolkit.seat_sector": ("sector", "sektör"), "toolkit.seat_size": ("size class", "ölçek"),
    "toolkit.seat_province": ("province", "il"),
    "toolkit.seat_institution": ("the institution tied to most members",
                                 "en çok üyeye bağlı kurum"),
    "toolkit.by_size": ("Members by size (employees)", "Ölçeğe göre üyeler (çalışan)"),
    "toolkit.by_sector": ("Members by sector", "Sektöre göre üyeler"),
    "toolkit.by_province": ("Members by province", "İle göre üyeler"),
    "toolkit.size_micro": ("micro (1-9)", "mikro (1-9)"),
    "toolkit.size_small": ("small (10-49)", "küçük (10-49)"),
    "toolkit.size_medium": ("medium (50-249)", "orta (50-249)"),
    "toolkit.size_large": ("large (250+)", "büyük (250+)"),
    "toolkit.size_unknown": ("size unknown", "ölçeği bilinmiyor"),
    "toolkit.no_employees": ("No member has a head count: sizes are unknown.",
                             "Hiçbir üyenin çalışan sayısı yok: ölçekler bilinmiyor."),
    "toolkit.international": ("Interregional and international cooperation",
                              "Bölgeler arası ve uluslararası işbirliği"),
    "toolkit.international_intro": (
        "Where partners could come from beyond the province: provinces specialised in the same "
        "or related sectors, the members' ties abroad by country, and the best international "
        "suggestions.",
        "İl dışından ortakların nereden gelebileceği: aynı ya da ilişkili sektörlerde uzmanlaşmış "
        "iller, üyelerin ülkelere göre yurt dışı bağları ve en iyi uluslararası öneriler."),
    "toolkit.provinces": ("Provinces specialised in {sector} or related sectors",
                          "{sector} ya da ilişkili sektörlerde uzmanlaşmış iller"),
    "toolkit.same_sector": ("same sector", "aynı sektör"),
    "toolkit.related_sector": ("related (proximity {phi})", "ilişkili (yakınlık {phi})"),
    "toolkit.no_provinces": ("No other province is specialised in the same or a related sector "
                             "among the network's firms.",
                             "Ağın firmaları arasında aynı ya da ilişkili sektörde uzmanlaşmış "
                             "başka il yok."),
    "toolkit.connect": ("Connect with the specialised provinces: {provinces}",
                        "Uzmanlaşmış illerle bağlantı kurun: {provinces}"),
    "toolkit.abroad": ("Members' ties abroad, by country", "Üyelerin ülkelere göre yurt dışı bağları"),
    "toolkit.no_abroad": ("No member has a tie abroad in the data.",
                          "Veride yurt dışıyla bağı olan üye yok."),
    "toolkit.exporters": ("exporters", "ihracatçılar"),
    "toolkit.exports_total": ("exports of the members", "üyelerin ihracatı"),
    "toolkit.international_share": ("ties abroad", "yurt dışı bağlar"),
    "toolkit.interregional_share": ("ties to other provinces", "diğer illerle bağlar"),
    "toolkit.no_exports": ("No member has export figures.", "Hiçbir üyenin ihracat verisi yok."),
    "toolkit.international_suggestions": ("Best international suggestions",
                                          "En iyi uluslararası öneriler"),
    "toolkit.no_international_suggestions": ("No international suggestion for the members.",
                                             "Üyeler için uluslararası öneri yok."),
    "toolkit.business-plan": ("Business plan", "İş planı"),
    "toolkit.business_plan_intro": (
        "The baseline of the indicators the plan will be judged on (the national evaluation's), "
        "five-year targets to fill in, and the actions drawn from sections 2-4.",
        "Planın değerlendirileceği göstergelerin (ulusal değerlendirmenin) başlangıç değerleri, "
        "doldurulacak beş yıllık hedefler ve 2-4. bölümlerden çıkan eylemler."),
    "toolkit.baseline": ("Baseline and targets", "Başlangıç değerleri ve hedefler"),
    "toolkit.target_year": ("target, year {year}", "hedef, {year}. yıl"),
    "toolkit.actions": ("Actions", "Eylemler"),
    "toolkit.targets_blank": ("The targets, owners and deadlines are left for the cluster's "
                              "board to fill in.",
                              "Hedefler, sorumlular ve tarihler kümenin yönetim kurulunca "
                              "doldurulmak üzere boş bırakıldı."),
    "toolkit.source_network": ("the network's firms, institutions and ties",
                               "ağın firmaları, kurumları ve bağları"),
    "toolkit.source_evaluation": ("the national cluster evaluation (kumenet clusters evaluate)",
                                  "ulusal küme değerlendirmesi (kumenet clusters evaluate)"),
    "toolkit.source_eurostat": ("Eurostat employment by NUTS-2 region, {year}",
                                "Eurostat NUTS-2 bölge istihdamı, {year}"),
    "toolkit.source_metrics": ("node metrics (kumenet metrics)", "düğüm ölçüleri (kumenet metrics)"),
    "toolkit.source_suggestions": ("partner suggestions (kumenet match)",
                                   "ortaklık önerileri (kumenet match)"),
    "toolkit.source_io": ("Turkey's input-output table (WIOD 2013, 2011 flows)",
                          "Türkiye girdi-çıktı tablosu (WIOD 2013, 2011 akımları)"),
    "toolkit.source_own": ("the provinces' specialisation among the network's firms "
                           "(kumenet regions)",
                           "illerin ağın firmaları arasındaki uzmanlaşması (kumenet regions)"),
    "toolkit.source_programme": ("the Kümelenme Destek Programı's requirements",
                                 "Kümelenme Destek Programı koşulları"),
    "toolkit.source_sections": ("sections 1-4 of this brief", "bu kılavuzun 1-4. bölümleri"),
    "col.firm": ("firm", "firma"), "col.partner": ("partner", "ortak"),
    "col.stage": ("stage", "aşama"), "col.centre": ("centre", "merkez"),
    "col.criterion": ("criterion", "ölçüt"), "col.points": ("points (0-100)", "puan (0-100)"),
    "col.degree": ("ties", "bağ"), "col.direction": ("link", "bağlantı"),
    "col.sectors": ("sectors (NACE divisions)", "sektörler (NACE bölümleri)"),
    "col.input_share": ("input share", "girdi payı"),
    "col.firms_province": ("firms in the province", "ildeki firma"),
    "col.firms_turkey": ("firms in Turkey", "Türkiye'deki firma"),
    "col.gap": ("gap", "eksik"), "col.size_class": ("size", "ölçek"),
    "col.requirement": ("requirement", "koşul"), "col.required": ("required", "gereken"),
    "col.present": ("present", "mevcut"), "col.met": ("met", "karşılanıyor"),
    "col.why": ("why", "neden"), "col.relation": ("relation", "ilişki"),
    "col.lq": ("LQ", "LQ"), "col.suggested": ("suggested", "önerilen"),
    "col.partners": ("partners", "ortak"), "col.layers": ("layers", "katmanlar"),
    "col.indicator": ("indicator", "gösterge"), "col.baseline": ("baseline", "başlangıç"),
    "col.action": ("action", "eylem"), "col.section": ("section", "bölüm"),
    "col.owner": ("owner", "sorumlu"), "col.deadline": ("deadline", "tarih"),
    # -- vocabulary of data values ----------------------------------------------------------
    "layer.supply": ("supply", "tedarik"), "layer.collaboration": ("collaboration", "işbirliği"),
    "layer.membership": ("membership", "üyelik"), "layer.information": ("information", "bilgi"),
    "layer.suggested": ("suggested", "önerilen"), "layer.ties": ("ties", "bağlar"),
    "kind.firm": ("firm", "firma"), "kind.institution": ("institution", "kurum"),
    "subtype.company": ("company", "şirket"), "subtype.buyer": ("buyer", "alıcı"),
    "subtype.supplier": ("supplier", "tedarikçi"), "subtype.chamber": ("chamber", "oda"),
    "subtype.exporters_union": ("exporters' union", "ihracatçı birliği"),
    "subtype.university": ("university", "üniversite"),
    "subtype.research_organisation": ("research organisation", "araştırma kuruluşu"),
    "subtype.development_agency": ("development agency", "kalkınma ajansı"),
    "subtype.cluster_centre": ("cluster knowledge centre", "kümelenme bilgi merkezi"),
    "subtype.industrial_zone": ("industrial zone", "organize sanayi bölgesi"),
    "subtype.public_body": ("public body", "kamu kurumu"), "subtype.other": ("other", "diğer"),
    "subtype.technopark": ("technopark", "teknoloji geliştirme bölgesi"),
    "subtype.association": ("association", "dernek"),
    "scope.intra_regional": ("same province", "aynı il"),
    "scope.interregional": ("other provinces", "diğer iller"),
    "scope.international": ("abroad", "yurt dışı"), "scope.unknown": ("unknown", "bilinmiyor"),
    "scope_title.intra_regional": ("Same province", "Aynı il"),
    "scope_title.interregional": ("Other provinces", "Diğer iller"),
    "scope_title.international": ("Abroad", "Yurt dışı"),
    "label.gold": ("gold", "altın"), "label.silver": ("silver", "gümüş"),
    "label.bronze": ("bronze", "bronz"),
    "bool.True": ("yes", "evet"), "bool.False": ("no", "hayır"),
    # NACE Rev.2 section groups of the packaged regional employment (Eurostat; TÜİK's titles)
    "nace_group.A": ("Agriculture, forestry and fishing", "Tarım, ormancılık ve balıkçılık"),
    "nace_group.B-E": ("Industry (except construction)", "Sanayi (inşaat hariç)"),
    "nace_group.F": ("Construction", "İnşaat"),
    "nace_group.G-I": ("Wholesale and retail trade, transport, accommodation and food service "
                       "activities", "Toptan ve perakende ticaret, ulaştırma, konaklama ve "
                       "yiyecek hizmetleri"),
    "nace_group.J": ("Information and communication", "Bilgi ve iletişim"),
    "nace_group.K": ("Financial and insurance activities", "Finans ve sigorta faaliyetleri"),
    "nace_group.L": ("Real estate activities", "Gayrimenkul faaliyetleri"),
    "nace_group.M_N": ("Professional, scientific and technical activities; administrative and "
                       "support service activities", "Mesleki, bilimsel ve teknik faaliyetler; "
                       "idari ve destek hizmet faaliyetleri"),
    "nace_group.O-Q": ("Public administration, defence, education, human health and social "
                       "work activities", "Kamu yönetimi ve savunma, eğitim, insan sağlığı ve "
                       "sosyal hizmet faaliyetleri"),
    "nace_group.R-U": ("Arts, entertainment and recreation; other service activities; "
                       "activities of household and extra-territorial organizations and bodies",
                       "Kültür, sanat, eğlence ve diğer hizmet faaliyetleri"),
    # -- the workspace -----------------------------------------------------------------------
    "ws.stage.shortlisted": ("shortlisted", "kısa listede"),
    "ws.stage.contacted": ("contacted", "iletişime geçildi"),
    "ws.stage.accepted": ("accepted", "kabul edildi"),
    "ws.stage.declined": ("declined", "reddedildi"),
    "ws.stage.expired": ("expired (no answer)", "süresi doldu (yanıt yok)"),
    "ws.stage.meeting_planned": ("meeting planned", "görüşme planlandı"),
    "ws.stage.met": ("met", "görüşüldü"),
    "ws.stage.not_held": ("meeting not held", "görüşme yapılmadı"),
    "ws.stage.follow_up": ("followed up", "izlendi"),
    "ws.stage.agreement": ("agreement", "anlaşma"),
    "ws.stage.project_started": ("project started", "proje başladı"),
    "ws.stage.completed": ("completed", "tamamlandı"),
    "ws.decline_reason.not_relevant": ("not relevant", "ilgili değil"),
    "ws.decline_reason.competitor": ("a competitor", "rakip"),
    "ws.decline_reason.quality_or_capacity": ("quality or capacity", "kalite ya da kapasite"),
    "ws.decline_reason.already_in_contact": ("already in contact", "zaten iletişimdeler"),
    "ws.decline_reason.timing": ("not now (timing)", "şu an değil (zamanlama)"),
    "ws.decline_reason.no_interest": ("no interest", "ilgi yok"),
    "ws.decline_reason.other": ("other", "diğer"),
    "ws.agreement.supply": ("supply agreement", "tedarik anlaşması"),
    "ws.agreement.joint_application": ("joint application", "ortak başvuru"),
    "ws.agreement.joint_export": ("joint export", "ortak ihracat"),
    "ws.agreement.mou": ("memorandum of understanding", "mutabakat zaptı"),
    "ws.agreement.joint_venture": ("joint venture", "ortak girişim"),
    "ws.agreement.other": ("other agreement", "diğer anlaşma"),
    "ws.follow_up.no_further_contact": ("no further contact", "başka temas olmadı"),
    "ws.follow_up.knowledge_gained": ("knowledge gained", "bilgi kazanıldı"),
    "ws.follow_up.valuable_contact": ("valuable contact", "değerli bir temas"),
    "ws.follow_up.negotiation": ("in negotiation", "görüşmeler sürüyor"),
    "ws.title": ("Workspace", "Çalışma alanı"),
    "ws.funnel": ("Funnel", "Huni"),
    "ws.initiatives": ("Initiatives", "Girişimler"),
    "portal.history": ("Score over the years", "Yıllara göre puan"),
    "portal.exploratory": ("exploratory", "keşif"),
    "portal.exploratory_help": ("A candidate from below the list's cut, shown so that what is "
                                "learnt from outcomes also sees pairs the scorer would not "
                                "have shown (the workspace's exploration setting).",
                                "Listenin eşiğinin altından bir aday: sonuçlardan öğrenilen, "
                                "puanlayıcının göstermeyeceği ikilileri de görsün diye "
                                "gösterilir (çalışma alanının keşif ayarı)."),
    "portal.national": ("Clusters over time", "Kümeler yıllar içinde"),
    "portal.national_help": ("Every declared cluster scored on one national scale for each of "
                             "the data's last years, from the network as it stood then; "
                             "change: against two years before.",
                             "Beyan edilen her küme, verinin son yıllarının her birinde, ağın "
                             "o yılki hâlinden tek bir ulusal ölçekte puanlanır; değişim: iki "
                             "yıl öncesine göre."),
    "portal.change": ("Change", "Değişim"),
    "portal.trend": ("Trend", "Eğilim"),
    "portal.all_provinces": ("all provinces", "tüm iller"),
    "portal.all_sectors": ("all sectors", "tüm sektörler"),
    "ws.new_initiative": ("New initiative", "Yeni girişim"),
    "ws.initiative_name": ("Name", "Adı"),
    "ws.start_year": ("Start year", "Başlangıç yılı"),
    "ws.provinces": ("Provinces (comma-separated)", "İller (virgülle)"),
    "ws.provinces_col": ("Provinces", "İller"),
    "ws.sectors": ("NACE codes (comma-separated)", "NACE kodları (virgülle)"),
    "ws.from_cluster": ("Every firm of the cluster", "Kümenin tüm firmaları"),
    "ws.coordinator": ("Coordinating institution (id or name)", "Koordinatör kurum (kimlik ya da ad)"),
    "ws.members_lines": ("Members (id or name, one per line)", "Üyeler (kimlik ya da ad, her satıra bir)"),
    "ws.members_change": ("Members joining or leaving", "Katılan ya da ayrılan üyeler"),
    "ws.join": ("join", "katılıyor"),
    "ws.leave": ("leave", "ayrılıyor"),
    "ws.on_date": ("On", "Tarih"),
    "ws.record_activity": ("Record an activity", "Faaliyet kaydet"),
    "ws.activity_kind": ("Kind", "Tür"),
    "ws.activity_title": ("Title", "Başlık"),
    "ws.participants_lines": ("Participants (id or name, one per line)", "Katılımcılar (kimlik ya da ad, her satıra bir)"),
    "ws.outcome": ("Outcome", "Sonuç"),
    "ws.no_initiatives": ("No initiative yet.", "Henüz girişim yok."),
    "ws.members_now": ("Members now", "Bugünkü üye"),
    "ws.login": ("Log in", "Giriş"), "ws.logout": ("Log out", "Çıkış"),
    "ws.username": ("User name", "Kullanıcı adı"), "ws.password": ("Password", "Parola"),
    "ws.login_needed": ("log in to record this", "bunu kaydetmek için giriş yapın"),
    "ws.login_to_record": ("to record notes, contacts and introductions",
                           "not, kişi ve tanıştırma kaydetmek için"),
    "ws.researcher_reads": ("A researcher account reads the funnel and the SQL tables.",
                            "Araştırmacı hesabı huniyi ve SQL tablolarını okur."),
    "ws.csrf": ("the form's security token is missing or out of date: reload the page and "
                "try again", "formun güvenlik anahtarı yok ya da eskimiş: sayfayı yenileyip "
                "yeniden deneyin"),
    "ws.role.admin": ("admin", "yönetici"), "ws.role.staff": ("staff", "uzman"),
    "ws.role.researcher": ("researcher", "araştırmacı"),
    "ws.list.open": ("My centre's open introductions", "Merkezimin açık tanıştırmaları"),
    "ws.list.follow_up": ("Follow-ups due", "İzlemesi gelenler"),
    "ws.list.expired": ("No answer (expired)", "Yanıtsız (süresi dolan)"),
    "ws.list.shortlist": ("Shortlist", "Kısa liste"), "ws.list.all": ("All", "Tümü"),
    "ws.shortlist": ("Shortlist", "Kısa liste"),
    "ws.shortlist_file": ("shortlist", "kisa-liste"),
    "ws.shortlist_print": ("Shortlist for a meeting day", "Görüşme günü için kısa liste"),
    "ws.shortlist_add": ("Shortlist", "Kısa listeye al"),
    "ws.download_xlsx": ("Excel", "Excel"), "ws.download_csv": ("CSV (;)", "CSV (;)"),
    "ws.funnel.suggested": ("suggested (shown)", "önerildi (gösterildi)"),
    "ws.funnel.shortlisted": ("shortlisted", "kısa listeye alındı"),
    "ws.funnel.contacted": ("contacted", "iletişime geçildi"),
    "ws.funnel.met": ("met", "görüşüldü"), "ws.funnel.agreement": ("agreement", "anlaşma"),
    "ws.funnel.project": ("project", "proje"),
    "ws.funnel_help": ("Each rate is the share of the step before it. Suggested: distinct pairs "
                       "shown on profiles to the centre's staff.",
                       "Her oran bir önceki adımın payıdır. Önerildi: merkezin uzmanlarına "
                       "profillerde gösterilen farklı ikililer."),
    "ws.by_scope": ("By scope", "Kapsama göre"), "ws.by_strength": ("By strength of the "
                                                                  "suggestion",
                                                                  "Önerinin gücüne göre"),
    "ws.by_hand": ("by hand", "elle"), "ws.step": ("Step", "Adım"),
    "ws.count": ("Introductions", "Tanıştırma"), "ws.rate": ("Rate", "Oran"),
    "ws.centre": ("Centre", "Merkez"), "ws.all_centres": ("all centres", "tüm merkezler"),
    "ws.stage": ("Stage", "Aşama"), "ws.since": ("since", "tarih"),
    "ws.n_found": ("{n:,} found", "{n:,} kayıt"), "ws.next_page": ("Next page", "Sonraki sayfa"),
    "ws.none_yet": ("None yet.", "Henüz yok."),
    "ws.missing": ("not in the network any more", "artık ağda değil"),
    "ws.col.source": ("id", "kimlik"), "ws.col.source_name": ("Firm", "Firma"),
    "ws.col.target": ("partner id", "ortak kimliği"),
    "ws.col.target_name": ("Partner", "Ortak"), "ws.col.scope": ("Scope", "Kapsam"),
    "ws.col.strength": ("Strength", "Güç"), "ws.col.stage": ("Stage", "Aşama"),
    "ws.col.created_by_name": ("Shortlisted by", "Listeye alan"),
    "ws.col.stage_at": ("Since", "Tarih"),
    "ws.history": ("History", "Geçmiş"), "ws.when": ("When", "Ne zaman"),
    "ws.who": ("Who", "Kim"), "ws.what": ("Details", "Ayrıntı"), "ws.note": ("Note", "Not"),
    "ws.correction": ("correction", "düzeltme"), "ws.record_step": ("Record a step",
                                                                    "Bir adım kaydet"),
    "ws.side": ("Side", "Taraf"), "ws.reason": ("Reason (decline)", "Neden (red)"),
    "ws.meeting_at": ("Meeting (date, time)", "Görüşme (tarih, saat)"),
    "ws.place": ("Place", "Yer"), "ws.online": ("online", "çevrimiçi"),
    "ws.rating": ("Follow-up", "İzleme"), "ws.agreement_kind": ("Agreement", "Anlaşma"),
    "ws.save": ("Save", "Kaydet"), "ws.correct": ("Correct a mistake", "Bir hatayı düzelt"),
    "ws.why": ("What was wrong", "Ne yanlıştı"),
    "ws.save_correction": ("Save the correction", "Düzeltmeyi kaydet"),
    "ws.ics": ("meeting (.ics)", "görüşme (.ics)"), "ws.group": ("Group", "Grup"),
    "ws.private": ("private", "özel"),
    "ws.on_actor": ("Workspace: notes, contacts, introductions",
                    "Çalışma alanı: notlar, kişiler, tanıştırmalar"),
    "ws.introductions": ("Introductions", "Tanıştırmalar"), "ws.notes": ("Notes", "Notlar"),
    "ws.contacts": ("Contact persons", "İlgili kişiler"),
    "ws.visibility": ("Who sees it", "Kim görür"),
    "ws.visibility.private": ("only me", "yalnızca ben"),
    "ws.visibility.centre": ("my centre", "merkezim"),
    "ws.visibility.national": ("every centre", "tüm merkezler"),
    "ws.add_note": ("Add the note", "Notu ekle"),
    "ws.contact_name": ("Name", "Ad soyad"), "ws.contact_role": ("Role", "Görevi"),
    "ws.phone": ("Phone", "Telefon"), "ws.email": ("E-mail", "E-posta"),
    "ws.consent": ("the person agreed to be recorded (KVKK)",
                   "kişi kaydedilmeye onay verdi (KVKK)"),
    "ws.consent_note": ("How consent was given", "Onay nasıl alındı"),
    "ws.add_contact": ("Add the contact person", "Kişiyi ekle"),
    "ws.erase": ("Erase (KVKK)", "Sil (KVKK)"),
    "ws.erased": ("erased at the person's request", "kişinin isteğiyle silindi"),
    "ws.audit": ("Audit log", "Denetim kaydı"), "ws.action": ("Action", "İşlem"),
    "ws.record": ("Record", "Kayıt"), "ws.before": ("Before", "Önce"),
    "ws.after": ("After", "Sonra"),
    "ws.side.a": ("side A", "A tarafı"), "ws.side.b": ("side B", "B tarafı"),
    "ws.side.both": ("both sides", "iki taraf"),
}

_FIELD = re.compile(r"\{(\w+)[^{}]*\}")


def check_lang(lang: str) -> str:
    if lang not in LANGS:
        from kumenet.errors import KumenetError

        raise KumenetError(f"unknown language {lang!r}; use tr or en")
    return lang


def text(key: str, lang: str = "tr", **values) -> str:
    """The message ``key`` in ``lang``, its fields filled (numbers written for the language)."""
    template = MESSAGES[key][_SLOT[check_lang(lang)]]
    return _Formatter(lang).format(template, **values) if values else template


def fmt(pattern: str, lang: str, *args, **values) -> str:
    """``pattern.format(...)`` with numbers written for ``lang`` (``fmt("{:.0%}", "tr", 0.72)``
    gives ``%72``)."""
    return _Formatter(lang).format(pattern, *args, **values)


def texts(prefix: str, lang: str = "tr") -> dict[str, str]:
    """Every message under ``prefix.`` as {name: text} (for a page's script or a table)."""
    return dict(_texts(prefix, check_lang(lang)))


@lru_cache(maxsize=None)
def _texts(prefix: str, lang: str) -> tuple:
    start = prefix + "."
    return tuple((k[len(start):], text(k, lang)) for k in MESSAGES if k.startswith(start))


def term(group: str, value, lang: str = "tr") -> str:
    """The name of a data value (``layer``, ``kind``, ``subtype``, ``scope``, ``label``,
    ``bool``) in ``lang``; values kumenet does not know are returned as they are."""
    key = f"{group}.{value}"
    return text(key, lang) if key in MESSAGES else value


def terms(group: str, values, lang: str = "tr") -> np.ndarray:
    """:func:`term` over an array or Series of values (each distinct value looked up once)."""
    import pandas as pd

    from kumenet.text import map_distinct

    return map_distinct(pd.Series(np.asarray(values, dtype=object)),
                        lambda v: term(group, v, lang)).to_numpy(dtype=object)


def pieces(key: str, lang: str = "tr") -> list[tuple[bool, str]]:
    """A message cut at its fields: ``[(is_field, text_or_field_name), ...]``, for code that
    fills the fields with whole columns (the reasons of suggestions)."""
    template = MESSAGES[key][_SLOT[check_lang(lang)]]
    out, at = [], 0
    for m in _FIELD.finditer(template):
        if m.start() > at:
            out.append((False, template[at:m.start()]))
        out.append((True, m.group(1)))
        at = m.end()
    if at < len(template):
        out.append((False, template[at:]))
    return out


def country_name(code: str, lang: str = "tr") -> str:
    """A country's name in ``lang`` from its ISO code (Babel's CLDR names: DE -> Almanya or
    Germany); the code itself when unknown."""
    from babel import Locale

    return Locale.parse(LOCALES[lang]).territories.get(str(code).upper(), str(code))


def number(value, lang: str = "tr", digits: int | None = None, group: bool = True,
           sign: bool = False) -> str:
    """``value`` written for ``lang``: ``digits`` decimals (None: as many as it has, up to 3),
    thousands grouped unless ``group=False``, ``+`` shown with ``sign=True``; missing: ``-``."""
    from babel.numbers import format_decimal

    if value is None or (isinstance(value, float) and value != value):
        return "-"
    return format_decimal(value, format=_pattern(digits, group, sign), locale=LOCALES[lang])


def percent(value, lang: str = "tr", digits: int = 0, sign: bool = False) -> str:
    """A share written as a percentage for ``lang`` (``%72`` in Turkish, ``72%`` in English)."""
    from babel.numbers import format_percent

    if value is None or (isinstance(value, float) and value != value):
        return "-"
    decimals = "." + "0" * digits if digits else ""
    pattern = _percent_pattern(lang, decimals, sign)
    return format_percent(value, format=pattern, locale=LOCALES[lang])


def numbers(values, lang: str = "tr", digits: int = 2) -> np.ndarray:
    """Many numbers written for ``lang`` with ``digits`` decimals, without grouping (one
    vectorised formatting; the same text as :func:`number` gives each)."""
    out = np.char.mod(f"%.{digits}f", np.asarray(values, dtype=float))
    if lang == "tr":
        out = np.char.replace(out, ".", ",")
    return out.astype(object)


@lru_cache(maxsize=None)
def _pattern(digits: int | None, group: bool, sign: bool) -> str:
    body = ("#,##0" if group else "0") + ("." + "#" * 3 if digits is None else
                                          ("." + "0" * digits if digits else ""))
    return f"+{body};-{body}" if sign else body


@lru_cache(maxsize=None)
def _percent_pattern(lang: str, decimals: str, sign: bool) -> str:
    body = ("%#,##0" + decimals) if lang == "tr" else ("#,##0" + decimals + "%")
    return f"+{body};-{body}" if sign else body


class _Formatter(string.Formatter):
    """str.format with numbers written for the language: ``{x:.3f}``, ``{x:,}``, ``{x:.0%}``,
    ``{x:+.2f}``; ints and floats without a spec too (ints grouped from 10,000 on, so that
    years stay 2024)."""

    def __init__(self, lang: str):
        self.lang = lang

    def format_field(self, value, spec):
        if isinstance(value, (bool, np.bool_)) or not isinstance(value, (int, float, np.number)):
            return super().format_field(value, spec)
        m = re.fullmatch(r"(\+)?(,)?(?:\.(\d+))?([f%])?", spec)
        if m is None:
            return super().format_field(value, spec)
        sign, grouped, digits, kind = m.groups()
        digits = None if digits is None else int(digits)
        if kind == "%":
            return percent(float(value), self.lang, digits or 0, sign=bool(sign))
        if not spec and isinstance(value, (int, np.integer)):
            return number(value, self.lang, 0, group=abs(int(value)) >= 10_000)
        if kind == "f" or grouped or sign:
            return number(value, self.lang, digits if digits is not None else
                          (0 if isinstance(value, (int, np.integer)) else None),
                          group=bool(grouped), sign=bool(sign))
        return number(value, self.lang)
