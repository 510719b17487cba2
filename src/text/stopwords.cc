// Stopword lists: the function words of each language (articles, pronouns,
// prepositions, conjunctions, common auxiliaries and their elided forms).
// Deliberately short: content words that happen to be frequent in news
// ("president", "government") are not stopwords.
#include <algorithm>
#include <string>
#include <string_view>
#include <vector>

#include "storyline/text/normalize.h"
#include "storyline/text/stemmer.h"

namespace storyline::text {
namespace {

struct StopwordSource {
  std::string_view lang;
  std::string_view words;  // separated by spaces
};

constexpr StopwordSource kSources[] = {
    {"en",
     "a about above after again against all also am an and any are as at be "
     "because been before being below between both but by can could did do "
     "does doing down during each few for from further had has have having "
     "he her here hers herself him himself his how i if in into is it it's "
     "its itself just me more most my myself no nor not now of off on once "
     "only or other our ours ourselves out over own same she should so some "
     "such than that the their theirs them themselves then there these they "
     "this those through to too under until up very was we were what when "
     "where which while who whom why will with would you your yours "
     "yourself yourselves 's"},
    {"fr",
     "à ai aie aient aies ait as au aura aurai auraient aurais aurait auras "
     "aurez auriez aurions aurons auront aux avaient avais avait avec avez "
     "aviez avions avons ayant ayez ayons c' ce ceci cela celle celles celui "
     "ces cet cette ceux d' dans de des du elle elles en es est et étaient "
     "étais était étant été êtes étiez étions eu eue eues eurent eus eut eux "
     "furent fut il ils j' je l' la le les leur leurs lui m' ma mais me même "
     "mes moi mon n' ne ni nos notre nous on ont ou où par pas pour qu' quand "
     "que quel quelle quelles quels qui s' sa sans se sera serai seraient "
     "serais serait seras serez seriez serions serons seront ses si son sont "
     "sous sur t' ta te tes toi ton tu un une vos votre vous y jusqu' lorsqu' "
     "puisqu' quoiqu'"},
    {"de",
     "aber alle allem allen aller alles als also am an ander andere anderen "
     "anderer anderes auch auf aus bei bin bis bist da damit dann das dass "
     "dem den denn der des dessen dich die dies diese diesem diesen dieser "
     "dieses dir doch dort du durch ein eine einem einen einer eines er es "
     "etwas euch euer eure für gegen hat hatte hätte haben habe hier hin "
     "hinter ich ihm ihn ihnen ihr ihre ihrem ihren ihrer ihres im in ist "
     "jede jedem jeden jeder jedes jener jetzt kann kein keine keinem keinen "
     "keiner man mich mir mit muss müssen nach nicht nichts noch nun nur ob "
     "oder ohne sehr sein seine seinem seinen seiner seines selbst sich sie "
     "sind so solche soll sollte sondern über um und uns unser unsere unter "
     "vom von vor während war waren warst was weil welche welchem welchen "
     "welcher welches wenn wer werde werden wie wieder will wir wird wirst "
     "wo wollen würde würden zu zum zur zwar zwischen"},
    {"es",
     "a al algo algunas algunos ante antes como con contra cual cuando de "
     "del desde donde durante e el él ella ellas ellos en entre era eran es "
     "esa esas ese eso esos esta está están estas este esto estos fue fueron "
     "ha han hasta hay la las le les lo los más me mi mis mucho muy nada ni "
     "no nos nosotros o os otra otras otro otros para pero poco por porque "
     "que qué quien quienes se sea ser si sí sin sobre son su sus también "
     "tanto te tiene tienen todo todos tu tus u un una uno unos vosotros y ya "
     "yo"},
    {"it",
     "a ad agli ai al alla alle allo all' anche c' che chi ci come con contro "
     "d' da dagli dai dal dalla dalle dallo dall' degli dei del della delle "
     "dello dell' di dove e è ed era erano essere gli ha hanno ho i il in io "
     "l' la le lei li lo loro lui ma mi mio nei nel nella nelle nello nell' "
     "noi non o per perché più quale quando quella quelle quello quell' "
     "questa queste questo quest' se sei si sia siamo sono su sua sue sugli "
     "sui sul sulla sulle sull' suo suoi ti tra tu tutti tutto un una uno "
     "un' vi voi"},
    {"pt",
     "a à ao aos aquela aquelas aquele aqueles as às até com como da das de "
     "dela delas dele deles depois do dos e é ela elas ele eles em entre era "
     "eram essa essas esse esses esta está estão estas este estes eu foi "
     "foram há isso isto já lhe lhes mais mas me mesmo meu minha muito na "
     "nas não nem no nos nós o os ou para pela pelas pelo pelos por quando "
     "que quem se sem ser seu seus sua suas também te tem têm um uma umas "
     "uns você vocês"},
    {"nl",
     "aan al alles als bij dan dat de der deze die dit doch doen door dus "
     "een en er ge geen had heb hebben heeft hem het hier hij hoe hun ik in "
     "is ja je kan kon maar me meer men met mij mijn na naar niet niets nog "
     "nu of om omdat ons onze ook op over te tegen toch toen tot u uit van "
     "veel voor want waren was wat we wel werd wie wij wil worden zal ze "
     "zei zelf zich zij zijn zo zonder zou"},
    {"ru",
     "а без более бы был была были было быть в вам вас весь во вот все всё "
     "всего всех вы где да даже для до его ее её если есть еще ещё же за "
     "здесь и из или им их к как ко когда кто ли либо мне может мы на над "
     "надо наш не него нее неё нет ни них но ну о об однако он она они оно "
     "от очень по под при с со так также такой там те тем то того тоже той "
     "только том ты у уже хотя чего чей чем что чтобы чье чья эта эти это я"},
    {"sl",
     "a ali bi bil bila bile bili bilo biti bo bodo bom bomo boste bova če "
     "da do ga gre iz ja jaz je jih jim jo k kaj kako kar kateri katera "
     "katere katero ki ko kot le ma me med mi mu na nad naj ne nas ni niso "
     "njega njen njena njeno njih njihov nje o ob od on ona oni ono pa po "
     "pod pri pred s sam se si so sta ste smo sem skozi tako tam te ter ti "
     "to tudi v vas ve vi z za ze že"},
};

struct StopwordTable {
  std::string_view lang;
  std::vector<std::string> words;  // normalised, sorted
};

// Lists are normalised once with the same folding the tokenizer applies,
// so "daß"-style spellings and curly apostrophes cannot drift apart.
const std::vector<StopwordTable>& Tables() {
  static const std::vector<StopwordTable>* tables = [] {
    auto* out = new std::vector<StopwordTable>();
    for (const StopwordSource& source : kSources) {
      StopwordTable table{source.lang, {}};
      std::size_t pos = 0;
      while (pos < source.words.size()) {
        std::size_t end = source.words.find(' ', pos);
        if (end == std::string_view::npos) end = source.words.size();
        if (end > pos) {
          Result<std::string> word =
              NormalizeLine(source.words.substr(pos, end - pos));
          if (word && !word->empty()) table.words.push_back(std::move(*word));
        }
        pos = end + 1;
      }
      std::sort(table.words.begin(), table.words.end());
      table.words.erase(std::unique(table.words.begin(), table.words.end()),
                        table.words.end());
      out->push_back(std::move(table));
    }
    return out;
  }();
  return *tables;
}

const StopwordTable* Find(std::string_view lang) {
  for (const StopwordTable& table : Tables()) {
    if (table.lang == lang) return &table;
  }
  return nullptr;
}

}  // namespace

bool IsStopword(std::string_view lang, std::string_view word) {
  const StopwordTable* table = Find(lang);
  if (table == nullptr) return false;
  return std::binary_search(table->words.begin(), table->words.end(), word,
                            [](std::string_view a, std::string_view b) {
                              return a < b;
                            });
}

bool HasStopwords(std::string_view lang) { return Find(lang) != nullptr; }

}  // namespace storyline::text
