"""The command line's errors and warnings in the user's language.

The library raises and warns in English (scripts and logs read stable text); the command line
says the same in Turkish by default: the frame of a problem list (file, line, column), and the
messages staff meet most (a number that is not one, an unknown firm with "did you mean", a
year before the data, an ambiguous ``1.200``, dates read as years, the SQL refusals, a file
that is not there). A message this table does not know is shown as it is.
"""

from __future__ import annotations

import re

__all__ = ["said", "PREFIX"]

#: How an error and a warning begin.
PREFIX = {"en": ("Error", "Warning"), "tr": ("Hata", "Uyarı")}


def _or(match: re.Match) -> str:
    return match.group(0).replace(" or ", " ya da ")


#: (English pattern, Turkish replacement), applied in order to the whole message.
TURKISH: tuple[tuple[re.Pattern, str], ...] = tuple((re.compile(p, re.M), r) for p, r in (
    # the frame of an InputDataError and of a Problem
    (r"^1 problem in the input:", "girdide 1 sorun var:"),
    (r"^(\d[\d,]*) problems in the input:", r"girdide \1 sorun var:"),
    (r"^  \.\.\. and (\d[\d,]*) more$", r"  ... ve \1 sorun daha"),
    (r", line (\d+)", r", satır \1"),
    (r", column (\d+|[A-Z]{1,3})\b", r", sütun \1"),
    (r", column (\w+):", r", sütun \1:"),
    (r"missing required column ('[^']*'); the columns are (.+)$",
     r"gerekli \1 sütunu eksik; sütunlar: \2"),
    (r"\bcolumn ('[^']*')(?=: | read as)", r"\1 sütunu"),
    # values
    (r"(\S+) must be a whole number, not the date (.+?) \(the cell is formatted as a date in "
     r"Excel\?\)", r"\1 tam sayı olmalı, \2 tarihi değil (hücre Excel'de tarih biçiminde mi?)"),
    (r"(\S+) must be a whole number, not (.+?)( \(read as [^)]*\))?$",
     r"\1 tam sayı olmalı, \2 değil"),
    (r"(\S+) must be a number, not (.+)$", r"\1 sayı olmalı, \2 değil"),
    (r"(\S+) must be a positive number, not (.+)$", r"\1 pozitif bir sayı olmalı, \2 değil"),
    (r"(\S+) must be between (\S+) and (\S+), not (.+)$", r"\1 \2 ile \3 arasında olmalı, "
     r"\4 değil"),
    (r"(\S+) cannot be negative \((.+?)\)", r"\1 negatif olamaz (\2)"),
    (r"(\S+) cannot be negative$", r"\1 negatif olamaz"),
    (r"(\S+) must be a whole number$", r"\1 tam sayı olmalı"),
    (r"(\S+) must be a (?:finite )?number$", r"\1 sonlu bir sayı olmalı"),
    (r"(\S+) must be between (\S+) and (\S+)$", r"\1 \2 ile \3 arasında olmalı"),
    (r"(\S+) must be a date such as (\S+) or (\S+), not (.+)$",
     r"\1 \2 ya da \3 gibi bir tarih olmalı, \4 değil"),
    (r"(\S+) must be a four-digit year, not (.+)$", r"\1 dört haneli bir yıl olmalı, \2 değil"),
    (r"duplicate id ('[^']*') \(first at (.+)\)$", r"yinelenen kimlik \1 (ilki: \2)"),
    (r"empty kind \(must be 'firm' or 'institution'\)", "boş tür ('firm' ya da 'institution' "
     "olmalı)"),
    (r"unknown kind ('[^']*'); must be 'firm' or 'institution'",
     r"bilinmeyen tür \1; 'firm' ya da 'institution' olmalı"),
    (r"('[^']*') is not an ISO 3166 alpha-2 country code \(such as TR, DE, IQ\)",
     r"\1 ISO 3166 iki harfli bir ülke kodu değil (TR, DE, IQ gibi)"),
    (r"(\S+) must be positive, not (.+)$", r"\1 pozitif olmalı, \2 değil"),
    (r"unknown stage ('[^']*'); use one of ", r"bilinmeyen aşama \1; şunlardan birini kullanın: "),
    (r"a decline needs its reason \(", "ret için nedeni gerekli ("),
    (r"a decline needs its reason$", "ret için nedeni gerekli"),
    (r"a decline needs a reason of the list$", "ret için listedeki bir neden gerekli"),
    (r"(\S+) cannot follow (\S+) for this pair", r"bu çift için \1, \2 aşamasından sonra gelemez"),
    (r"history (\d+): (\S+) cannot follow (\S+)$", r"geçmiş \1: \2, \3 aşamasından sonra gelemez"),
    (r"^history (\d+): ", r"geçmiş \1: "),
    # names
    (r"no firm or institution named ('(?:[^'\\]|\\.)*'|\"[^\"]*\")",
     r"\1 adında firma ya da kurum yok"),
    (r"no node with id ('(?:[^'\\]|\\.)*')", r"\1 kimlikli düğüm yok"),
    (r"('(?:[^'\\]|\\.)*') is not a node id in the nodes table",
     r"\1 düğüm tablosunda bir kimlik değil"),
    (r"unknown province ('(?:[^'\\]|\\.)*')", r"bilinmeyen il \1"),
    (r" \(did you mean (.+?)\?\)", r" (bunu mu demek istediniz: \1?)"),
    (r"(\d+) names begin with ('(?:[^'\\]|\\.)*'): (.+); give the whole name or the id",
     r"\2 ile başlayan \1 ad var: \3; adın tamamını ya da kimliği verin"),
    (r"(\d+) nodes are named ('(?:[^'\\]|\\.)*') \(ids (.+?)\); give the id instead",
     r"\1 düğümün adı \2 (kimlikler \3); kimliği verin"),
    (r"^('(?:[^'\\]|\\.)*') read as ('(?:[^'\\]|\\.)*') \(id (\S+)\), the only name that "
     r"begins so", r"\1, \2 olarak okundu (kimlik \3): böyle başlayan tek ad bu"),
    # years and layers
    (r"no ties up to (\d+); the first year is (\d+)", r"\1 yılına kadar bağ yok; ilk yıl \2"),
    (r"the ties have no year, so every tie counts as of (\d+)",
     r"bağların yılı yok; \1 itibarıyla her bağ sayılır"),
    (r"no layer named ('(?:[^'\\]|\\.)*'); the layers are (.+)$",
     r"\1 adında katman yok; katmanlar: \2"),
    # the decimal mark and dates
    (r"('[^']*') could mean (\S+) or (\S+); read as (\S+) \(", r"\1 \2 ya da \3 olabilir; "
     r"\4 olarak okundu ("),
    (r"'\.' groups thousands", "'.' binlik ayırıcı"),
    (r"',' groups thousands", "',' binlik ayırıcı"),
    (r"'\.' is the decimal mark", "'.' ondalık ayırıcı"),
    (r"',' is the decimal mark", "',' ondalık ayırıcı"),
    (r"\) because the column holds whole numbers", ") çünkü sütunda tam sayılar var"),
    (r"\) because column ('[^']*') of the same file writes decimals with a comma",
     r") çünkü aynı dosyanın \1 sütunu ondalıkları virgülle yazıyor"),
    (r"\) because column ('[^']*') of the same file writes decimals with a point",
     r") çünkü aynı dosyanın \1 sütunu ondalıkları noktayla yazıyor"),
    (r"; give --decimal to choose", "; seçmek için --decimal verin"),
    (r"the decimal mark ('[^']*') given does not read ([\d,]+) of its numbers; read as the file "
     r"shows \(--decimal still shapes the CSV written\)", r"verilen \1 ondalık ayırıcısı "
     r"sayılarından \2 tanesini okumuyor; dosyanın gösterdiği gibi okundu (--decimal yazılan "
     r"CSV'yi yine belirler)"),
    (r"([\d,]+) cells are not numbers with the decimal mark ('[^']*') that --decimal gave; "
     r"without --decimal kumenet decides from the file", r"\1 hücre --decimal ile verilen \2 "
     r"ondalık ayırıcısıyla sayı değil; --decimal verilmezse kumenet dosyaya bakarak karar "
     r"verir"),
    (r"(\d[\d,]*) dates? \(([^)]*)\) read as (?:their|its) years? ",
     r"\1 tarih (\2) yılı olarak okundu "),
    (r" read as dates \(([^)]*)\)", r" tarih olarak okundu (\1)"),
    # files
    (r": no such file or folder$", ": böyle bir dosya ya da klasör yok"),
    (r": no such file$", ": böyle bir dosya yok"),
    (r"^cannot write (.+?): (.+)$", r"\1 yazılamıyor: \2"),
    (r"^(.+) is a folder; give a file name", r"\1 bir klasör; bir dosya adı verin"),
    # reading files: encodings, compression, structure
    (r", sheet (\S+?)(?=, | \(|:|$)", r", sayfa \1"),
    (r": is not a readable gzip file \((.+)\)$", r": okunabilir bir gzip dosyası değil (\1)"),
    (r": cannot be read: (.+)$", r": okunamıyor: \1"),
    (r"decompresses to more than ([\d,.]+) MiB \((\d+) times its size and more\); kumenet "
     r"refuses it as a damaged file or a decompression bomb",
     r"açıldığında \1 MiB'tan büyük (boyutunun \2 katı ve fazlası); kumenet bunu bozuk dosya ya "
     r"da sıkıştırma bombası sayıp reddeder"),
    (r"decompresses to ([\d,.]+) MiB; kumenet refuses it as a damaged file or a decompression "
     r"bomb", r"açıldığında \1 MiB; kumenet bunu bozuk dosya ya da sıkıştırma bombası sayıp "
     r"reddeder"),
    (r"byte (0x[0-9a-f]+) at character (\d+) is neither UTF-8 nor Windows-1254",
     r"\2. karakterdeki \1 baytı ne UTF-8 ne Windows-1254"),
    (r"byte (0x[0-9a-f]+) at character (\d+) is not (\S+?)(?=;)",
     r"\2. karakterdeki \1 baytı \3 değil"),
    (r"byte (0x[0-9a-f]+) at character (\d+) mixes encodings: it starts as UTF-8 but this byte "
     r"is not UTF-8", r"\2. karakterdeki \1 baytı kodlamaları karıştırıyor: dosya UTF-8 "
     r"başlıyor ama bu bayt UTF-8 değil"),
    (r"; save the file as UTF-8 or give the right --encoding",
     "; dosyayı UTF-8 olarak kaydedin ya da doğru --encoding verin"),
    (r"; save the file as UTF-8 \(or give --encoding\)",
     "; dosyayı UTF-8 olarak kaydedin (ya da --encoding verin)"),
    (r"has ([\d,]+) columns; kumenet reads at most ([\d,]+) \(is the separator ('[^']*') right\?\)",
     r"\1 sütunu var; kumenet en çok \2 sütun okur (ayırıcı \3 doğru mu?)"),
    (r"has (\d+) fields where the header has (\d+); check the separator \(('[^']*'|\"[^\"]*\")\) "
     r"and quotes", r"başlıkta \2 alan varken bu satırda \1 alan var; ayırıcıyı (\3) ve "
     r"tırnakları kontrol edin"),
    (r": is a (named pipe|device|socket|folder)(?:, not a regular file)?; kumenet reads regular "
     r"files only", lambda m: ": " + {"named pipe": "adlandırılmış bir boru", "device": "bir aygıt",
                                      "socket": "bir soket", "folder": "bir klasör"}[m.group(1)]
     + ", sıradan bir dosya değil; kumenet yalnız sıradan dosyaları okur"),
    (r"the separator ('[^']*'|\"[^\"]*\") given splits none of its lines; read with "
     r"('[^']*'|\"[^\"]*\"), as the file shows \(--sep still shapes the CSV written\)",
     r"verilen \1 ayırıcısı satırların hiçbirini bölmüyor; dosyanın gösterdiği gibi \2 ile "
     r"okundu (--sep yazılan CSV'yi yine belirler)"),
    (r"header on line (\d+); the lines? above it \((.+)\) skipped as a title",
     r"başlık \1. satırda; üstündeki satır(lar) (\2) başlık yazısı sayılıp atlandı"),
    (r"\((\d+) characters\)", r"(\1 karakter)"),
    (r"the column ('[^']*') is given twice \(also ('[^']*')\); keep one",
     r"\1 sütunu iki kez var (\2 de); birini bırakın"),
    (r"the column ('[^']*') is given twice; keep one", r"\1 sütunu iki kez var; birini bırakın"),
    (r"columns ('[^']*') and ('[^']*') both mean ('[^']*'); keep one",
     r"\1 ve \2 sütunlarının ikisi de \3 demek; birini bırakın"),
    (r"this column has a value but no header; name it or delete it",
     "bu sütunda değer var ama başlığı yok; adlandırın ya da silin"),
    (r"the formula ('[^']*') has no saved value; open the file in Excel and save it, or paste "
     r"(?:the )?values", r"\1 formülünün kaydedilmiş değeri yok; dosyayı Excel'de açıp kaydedin ya da "
     r"değerleri yapıştırın"),
    (r"is not a readable \.xlsx workbook \((.+)\)$", r"okunabilir bir .xlsx çalışma kitabı "
     r"değil (\1)"),
    (r"is not a readable Parquet file: (.+)$", r"okunabilir bir Parquet dosyası değil: \1"),
    (r"the layers table lacks the columns? ('[^']*'(?: and '[^']*')?)",
     lambda m: "katman tablosunda " + m.group(1).replace(" and ", " ve ") + " sütunu yok"),
    (r"the layers table is empty", "katman tablosu boş"),
    (r"; it needs the columns 'layer' and 'directed' \(true or false\), one row per layer",
     "; 'layer' ve 'directed' (true ya da false) sütunları gerekli, her katmana bir satır"),
    (r"declares an encoding kumenet cannot read \((.+?)\); save it as UTF-8",
     r"kumenet'in okuyamadığı bir kodlama bildiriyor (\1); UTF-8 olarak kaydedin"),
    (r"declares an entity \(<!ENTITY \.\.\.>\); kumenet refuses entities in GraphML and GEXF, "
     r"which can read other files or blow up in memory", "bir varlık bildiriyor (<!ENTITY ...>); kumenet GraphML ve "
     "GEXF'te varlıkları reddeder: başka dosyaları okuyabilir ya da belleği şişirebilirler"),
    (r"(<\w+>) needs '(\w+)' and '(\w+)' attributes", r"\1 için '\2' ve '\3' öznitelikleri gerekli"),
    (r"holds (lists|records \(a struct\)|maps) \((.+?)\); kumenet reads one text, number, date or "
     r"true/false value per cell(.*)$", lambda m: {"lists": "listeler", "maps": "eşlemeler",
                                                    "records (a struct)": "kayıtlar (struct)"}[
        m.group(1)] + f" içeriyor ({m.group(2)}); kumenet her hücrede tek bir metin, sayı, tarih "
        "ya da doğru/yanlış değeri okur" + (": sütunu metin olarak yazın" if m.group(3) else "")),
    (r"holds bytes that are not UTF-8 text: write the column as text \(a string column\)",
     "UTF-8 metin olmayan baytlar içeriyor: sütunu metin olarak yazın (string sütunu)"),
    (r"\bempty (id|layer|source|target|member|year|name)\b",
     lambda m: "boş " + {"id": "kimlik", "layer": "katman", "source": "kaynak", "target": "hedef",
                         "member": "üye", "year": "yıl", "name": "ad"}[m.group(1)]),
    (r"self-loop: ('[^']*') is tied to itself", r"kendine bağ: \1 kendisine bağlı"),
    (r"missing column ('[^']*'); a suggestions table has source and target \(kumenet match "
     r"--all -o FILE\)", r"\1 sütunu eksik; bir öneri tablosunda source ve target olur "
     r"(kumenet match --all -o DOSYA)"),
    (r"('[^']*') is not an actor of the network", r"\1 ağın bir aktörü değil"),
    (r"('[^']*') is not a date \(([\d.]+)\)", r"\1 bir tarih değil (\2)"),
    (r"negative value (\S+); values are counts or amounts >= 0",
     r"negatif değer \1; değerler sayım ya da tutardır, >= 0"),
    (r"^(\d[\d,]*) node\(s\) have no ties: ", r"\1 düğümün bağı yok: "),
    (r"^(\d+) region\(s\) with a total of 0 left out \(no information\): ",
     r"toplamı 0 olan \1 bölge dışarıda bırakıldı (bilgi yok): "),
    (r"^(\d[\d,]*) of (\d[\d,]*) firms have no employees; they count as establishments but add "
     r"nothing to the value", r"\2 firmanın \1 tanesinin çalışan sayısı yok; işyeri olarak "
     r"sayılır ama değere bir şey katmaz"),
    (r"^(\d+) group\(s\) with fewer than (\d+) firms not evaluated",
     r"\2 firmadan az firması olan \1 grup değerlendirilmedi"),
    (r"\) because the file is separated by ';', as Turkish Excel writes it",
     ") çünkü dosya Türkçe Excel'in yazdığı gibi ';' ile ayrılmış"),
    (r"\) because the file is separated by ';'", ") çünkü dosya ';' ile ayrılmış"),
    # commands' own refusals
    (r"^--scheduler needs --engine dask", "--scheduler için --engine dask gerekli"),
    (r"^--engine dask needs Dask, an optional part of kumenet: ",
     "--engine dask için Dask gerekli (kumenet'in isteğe bağlı bir parçası): "),
    (r"^--partition-by writes Parquet parts; (\w+) is one file or folder \(add --to parquet\)",
     r"--partition-by Parquet parçaları yazar; \1 tek bir dosya ya da klasördür (--to parquet "
     r"ekleyin)"),
    (r"^cannot partition the ties by ('[^']*'); choose one of (.+?)(?= \(|$)",
     r"bağlar \1 ölçütüne göre bölünemez; şunlardan birini seçin: \2"),
    (r" \(such as (.+)\)$", r" (örneğin \1)"),
    (r"^(.+) is a file; give a folder name for this output",
     r"\1 bir dosya; bu çıktı için bir klasör adı verin"),
    (r"^(.+): kumenet does not write \.(\S+) files; name it \.csv, \.tsv, \.json, \.parquet, "
     r"\.xlsx or \.txt, or give --format", r"\1: kumenet .\2 dosyası yazmaz; adını .csv, .tsv, "
     r".json, .parquet, .xlsx ya da .txt koyun ya da --format verin"),
    (r"^(.+): not a kumenet model file \((.+)\)$", r"\1: bir kumenet model dosyası değil (\2)"),
    (r"^(.+) is not a kumenet workspace yet: run (kumenet workspace init .+)$",
     r"\1 henüz bir kumenet çalışma alanı değil: \2 çalıştırın"),
    (r"^the target workspace (.+) is not empty \((\w+) has rows\): copy into a new workspace",
     r"hedef çalışma alanı \1 boş değil (\2 tablosunda satır var): yeni bir çalışma alanına "
     r"kopyalayın"),
    (r"^a password needs at least (\d+) characters", r"parola en az \1 karakter olmalı"),
    (r"^a staff account belongs to a centre: give --centre",
     "personel hesabı bir merkeze bağlıdır: --centre verin"),
    (r"^listening on 0\.0\.0\.0 opens the portal beyond this machine, where every page needs a "
     r"login: give --workspace \(its accounts: kumenet users add\)",
     "0.0.0.0 üzerinde dinlemek portalı bu makinenin dışına açar; orada her sayfa oturum "
     "ister: --workspace verin (hesapları: kumenet users add)"),
    (r"^no cluster ('[^']*')(.*?); the clusters \((\S+)\) are ", r"\1 adında küme yok\2; "
     r"kümeler (\3): "),
    (r"^no cluster ('[^']*'): this network declares none", r"\1 adında küme yok: bu ağ hiç küme "
     r"bildirmiyor"),
    (r"^no cluster ('[^']*')$", r"\1 adında küme yok"),
    (r"^no cluster has (\d+) or more firms \(largest: (\d+)\)",
     r"hiçbir kümede \1 ya da daha fazla firma yok (en büyüğü: \2)"),
    (r"^no initiative named ('[^']*')", r"\1 adında girişim yok"),
    (r"^no actor with id ('[^']*')(?: in the network)?", r"\1 kimlikli aktör yok"),
    (r"^no region ('[^']*') in this network's regional tables",
     r"bu ağın bölge tablolarında \1 bölgesi yok"),
    (r"^no meeting is planned for this introduction", "bu tanıştırma için planlanmış görüşme "
     "yok"),
    (r"^no introduction ('[^']*'|\d+)", r"\1 numaralı tanıştırma yok"),
    (r"^no contact person ('[^']*'|\d+)", r"\1 numaralı irtibat kişisi yok"),
    (r"^page not found: (.+)$", r"sayfa bulunamadı: \1"),
    (r"unknown indicator ('[^']*')", r"bilinmeyen gösterge \1"),
    (r"^no node column ('[^']*') to (group by|compare with); the columns are ",
     r"gruplamak için \1 adında düğüm sütunu yok; sütunlar: "),
    (r"^no node column ('[^']*') to (group by|compare with)$",
     r"karşılaştırmak için \1 adında düğüm sütunu yok"),
    (r"^no region ('[^']*') in the table", r"tabloda \1 bölgesi yok"),
    (r"^no ties after (\d+); the last year is (\d+): choose a split year before it",
     r"\1 sonrasında bağ yok; son yıl \2: bundan önce bir ayırma yılı seçin"),
    (r"^the ties have no year: evaluation learns from the past and tests on the future, so it "
     r"needs a year column in the edges", "bağların yılı yok: değerlendirme geçmişten öğrenip "
     "gelecekte sınar, bu yüzden bağ tablosunda bir yıl (year) sütunu gerekir"),
    (r"^only (\d+) new pairs after (\d+) among the candidates: too few to train a scorer "
     r"\(need (\d+)\)", r"adaylar arasında \2 sonrasında yalnız \1 yeni çift var: bir "
     r"puanlayıcı eğitmek için çok az (\3 gerekli)"),
    (r"^years ('[^']*'): a range goes from the earlier year to the later",
     r"yıllar \1: aralık önceki yıldan sonrakine gider"),
    (r"^years ('[^']*'): write them as 2019-2024 or 2019,2021,2023",
     r"yıllar \1: 2019-2024 ya da 2019,2021,2023 biçiminde yazın"),
    (r"\(employees \(network firms\)\)", "(ağdaki firmaların çalışanları)"),
    (r"^every value is 0 \((.+)\): there is nothing to compare",
     r"her değer 0 (\1): karşılaştırılacak bir şey yok"),
    (r"^none of the (\d[\d,]*) firms with a province and a sector has employees: count firms "
     r"instead \(--value firms\)", r"ili ve sektörü olan \1 firmanın hiçbirinin çalışan sayısı "
     r"yok: bunun yerine firmaları sayın (--value firms)"),
    (r"^fewer than two regions or sectors are present anywhere: ECI and PCI cannot be computed",
     "hiçbir yerde ikiden az bölge ya da sektör var: ECI ve PCI hesaplanamaz"),
    (r"^the query returned more than ([\d,]+) rows; showing the first ([\d,]+) \(write them all "
     r"with -o FILE\)", r"sorgu \1 satırdan fazla döndürdü; ilk \2 satır gösteriliyor (hepsini "
     r"-o DOSYA ile yazın)"),
    (r"^(.+?) must be tr or en, not (.+)$", r"\1 tr ya da en olmalı, \2 değil"),
    # SQL
    (r"^only reading is allowed \(SELECT, WITH, EXPLAIN, DESCRIBE, SUMMARIZE, SHOW\); this is "
     r"(\w+)", r"yalnız okuma yapılabilir (SELECT, WITH, EXPLAIN, DESCRIBE, SUMMARIZE, SHOW); "
     r"bu bir \1"),
    (r"\. Write results with -o instead$", ". Sonuçları -o ile yazın"),
    (r"^give one SQL statement, not (\d+)", r"tek bir SQL ifadesi verin, \1 değil"),
    (r"^SQL refused: queries cannot read or write files, the network or extensions",
     "SQL reddedildi: sorgular dosya, ağ ya da eklenti okuyamaz, yazamaz"),
    (r"^the query took longer than (\S+) s and was stopped", r"sorgu \1 sn'den uzun sürdü ve "
     r"durduruldu"),
    (r"^SQL error: ", "SQL hatası: "),
))


def said(message: str, lang: str) -> str:
    """``message`` in ``lang``: Turkish through :data:`TURKISH` (what it does not know stays
    as it is), English unchanged.

    >>> said("2 problems in the input:\\n  nodes.csv, line 3, column 8 (employees): "
    ...      "employees must be a whole number, not 'on iki'", "tr").splitlines()
    ['girdide 2 sorun var:', "  nodes.csv, satır 3, sütun 8 (employees): employees tam sayı olmalı, 'on iki' değil"]
    >>> said("no firm or institution named 'Yildiz Medikl' (did you mean 'Kılıç Medikal A.Ş.' "
    ...      "or 'Yıldız Medikal'?)", "tr")
    "'Yildiz Medikl' adında firma ya da kurum yok (bunu mu demek istediniz: 'Kılıç Medikal A.Ş.' ya da 'Yıldız Medikal'?)"
    >>> said("no ties up to 2010; the first year is 2015", "en")
    'no ties up to 2010; the first year is 2015'
    """
    if lang != "tr":
        return message
    out = message
    for pattern, replacement in TURKISH:
        out = pattern.sub(replacement, out)
    # "or" between the names a "did you mean" offers
    return re.sub(r"\(bunu mu demek istediniz: .+?\?\)", _or, out)
