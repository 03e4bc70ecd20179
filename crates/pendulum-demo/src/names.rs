//! Names and email addresses for the demo's people.
//!
//! Evidence is matched to people by email, so the demo gives everyone a unique primary
//! address and some of them the aliases real people collect: an address from an older naming
//! scheme, or the private address a code host writes into commits. Names come from a varied,
//! built-in list; addresses use their ASCII folding.

use std::collections::HashMap;

use rand::Rng;
use rand::seq::{IndexedRandom, SliceRandom};

const FIRST_NAMES: [&str; 104] = [
    "Ada",
    "Amara",
    "Aiko",
    "Alejandro",
    "Amir",
    "Ana",
    "Andrei",
    "Anika",
    "Arjun",
    "Aroha",
    "Ayesha",
    "Beatriz",
    "Bilal",
    "Bo",
    "Camila",
    "Chen",
    "Chiamaka",
    "Chloé",
    "Dalia",
    "Daniel",
    "Dmitri",
    "Elif",
    "Emeka",
    "Emma",
    "Esther",
    "Fatima",
    "Felipe",
    "Freya",
    "Gabriel",
    "Grace",
    "Hana",
    "Hamza",
    "Hiroshi",
    "Ibrahim",
    "Inês",
    "Ingrid",
    "Isabel",
    "Ivan",
    "Jae-won",
    "Jamal",
    "Javier",
    "Jin",
    "João",
    "Julia",
    "Kalani",
    "Kavya",
    "Kenji",
    "Kofi",
    "Lars",
    "Layla",
    "Leila",
    "Liam",
    "Lucía",
    "Maja",
    "Malik",
    "Mariam",
    "Mateo",
    "Mei",
    "Miguel",
    "Mira",
    "Mohammed",
    "Nadia",
    "Naledi",
    "Nikhil",
    "Noah",
    "Nour",
    "Olga",
    "Omar",
    "Oscar",
    "Priya",
    "Quang",
    "Rafael",
    "Ravi",
    "Rosa",
    "Ruth",
    "Sakura",
    "Samir",
    "Sara",
    "Sebastián",
    "Seo-yeon",
    "Shira",
    "Siddharth",
    "Sofia",
    "Søren",
    "Tariq",
    "Thandiwe",
    "Tomás",
    "Uma",
    "Valentina",
    "Victor",
    "Wei",
    "Xin",
    "Yara",
    "Yusuf",
    "Zainab",
    "Zoë",
    "Łukasz",
    "Ngozi",
    "Paulo",
    "Keanu",
    "Astrid",
    "Bongani",
    "Carmen",
    "Eitan",
];

const LAST_NAMES: [&str; 100] = [
    "Abara",
    "Adeyemi",
    "Ahmed",
    "Almeida",
    "Andersen",
    "Bakker",
    "Banerjee",
    "Bergström",
    "Bianchi",
    "Chen",
    "Cohen",
    "Costa",
    "Dang",
    "Das",
    "Díaz",
    "Dubois",
    "Eriksson",
    "Fernández",
    "Fischer",
    "García",
    "Gomez",
    "Gupta",
    "Haddad",
    "Hansen",
    "Hernández",
    "Hoang",
    "Hughes",
    "Ibrahim",
    "Ito",
    "Ivanova",
    "Jensen",
    "Jovanović",
    "Kaur",
    "Kim",
    "Kowalski",
    "Kumar",
    "Larsen",
    "Lee",
    "Li",
    "Lopez",
    "Mahlangu",
    "Martin",
    "Mensah",
    "Moreau",
    "Müller",
    "Murphy",
    "Nakamura",
    "Nguyen",
    "Novak",
    "Nowak",
    "O'Brien",
    "Okafor",
    "Okonkwo",
    "Olsen",
    "Park",
    "Patel",
    "Pereira",
    "Petrov",
    "Popescu",
    "Qureshi",
    "Rahman",
    "Reyes",
    "Rossi",
    "Sato",
    "Schmidt",
    "Shah",
    "Silva",
    "Singh",
    "Smith",
    "Sokolov",
    "Suzuki",
    "Tanaka",
    "Tan",
    "Taylor",
    "Torres",
    "Tran",
    "Tshabalala",
    "Van der Berg",
    "Vargas",
    "Wang",
    "Watanabe",
    "Williams",
    "Wong",
    "Wu",
    "Xu",
    "Yamamoto",
    "Yang",
    "Yılmaz",
    "Yusuf",
    "Zhang",
    "Zhou",
    "Zulu",
    "Kealoha",
    "Mwangi",
    "Lindqvist",
    "Achebe",
    "Horvát",
    "Nørgaard",
    "Çelik",
    "Đorđević",
];

/// The domain of everyone's work address.
const WORK_DOMAIN: &str = "example.com";
/// Where a code host's private commit addresses live.
const NOREPLY_DOMAIN: &str = "users.noreply.example.org";

/// A person's name and addresses, all lower-case.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Identity {
    pub name: String,
    pub email: String,
    pub aliases: Vec<String>,
}

/// Hands out identities whose addresses no one else in the org has.
#[derive(Debug, Default)]
pub(crate) struct Directory {
    /// How many addresses each `local@domain` has given out. Every local part ends in a
    /// letter, so a numbered address (`ana.li2`) can only come from its own base.
    issued: HashMap<String, u32>,
}

#[derive(Debug, Clone, Copy)]
enum Alias {
    /// `jsmith@example.com`, from before `first.last` became the rule.
    OldScheme,
    /// `12345678+janasmith@users.noreply.example.org`.
    Noreply,
}

impl Directory {
    pub fn with_capacity(people: usize) -> Self {
        Self {
            issued: HashMap::with_capacity(people + people / 3),
        }
    }

    pub fn mint(&mut self, rng: &mut impl Rng) -> Identity {
        let first = *FIRST_NAMES.choose(rng).expect("names are listed");
        let last = *LAST_NAMES.choose(rng).expect("names are listed");
        let (f, l) = (fold(first), fold(last));
        let email = self.claim(&format!("{f}.{l}"), WORK_DOMAIN);
        let roll: f64 = rng.random();
        let count = if roll < 0.08 {
            2
        } else if roll < 0.28 {
            1
        } else {
            0
        };
        let mut kinds = [Alias::OldScheme, Alias::Noreply];
        kinds.shuffle(rng);
        let aliases = kinds[..count]
            .iter()
            .map(|kind| match kind {
                Alias::OldScheme => {
                    let initial = f.chars().next().expect("folded names are not empty");
                    self.claim(&format!("{initial}{l}"), WORK_DOMAIN)
                }
                Alias::Noreply => {
                    let number: u32 = rng.random_range(1_000_000..100_000_000);
                    self.claim(&format!("{number}+{f}{l}"), NOREPLY_DOMAIN)
                }
            })
            .collect();
        Identity {
            name: format!("{first} {last}"),
            email,
            aliases,
        }
    }

    /// `local@domain`, or `local2@domain`, `local3@domain`... once it is taken.
    fn claim(&mut self, local: &str, domain: &str) -> String {
        let plain = format!("{local}@{domain}");
        match self.issued.get_mut(&plain) {
            Some(count) => {
                *count += 1;
                format!("{local}{count}@{domain}")
            }
            None => {
                self.issued.insert(plain.clone(), 1);
                plain
            }
        }
    }
}

/// The lower-case ASCII letters of a name: accents dropped, spaces, hyphens and
/// apostrophes removed.
fn fold(name: &str) -> String {
    name.chars()
        .flat_map(char::to_lowercase)
        .filter_map(|c| {
            Some(match c {
                'a'..='z' => c,
                'à' | 'á' | 'â' | 'ã' | 'ä' | 'å' => 'a',
                'ç' | 'ć' | 'č' => 'c',
                'đ' => 'd',
                'è' | 'é' | 'ê' | 'ë' => 'e',
                'ì' | 'í' | 'î' | 'ï' | 'ı' => 'i',
                'ł' => 'l',
                'ñ' => 'n',
                'ò' | 'ó' | 'ô' | 'õ' | 'ö' | 'ø' => 'o',
                'ś' | 'š' => 's',
                'ù' | 'ú' | 'û' | 'ü' => 'u',
                'ý' | 'ÿ' => 'y',
                'ž' | 'ź' | 'ż' => 'z',
                _ => return None,
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::SeedableRng;
    use rand_chacha::ChaCha8Rng;

    #[test]
    fn folding_keeps_every_letter_of_every_listed_name() {
        for name in FIRST_NAMES.iter().chain(&LAST_NAMES) {
            let letters = name.chars().filter(|c| c.is_alphabetic()).count();
            let folded = fold(name);
            assert_eq!(folded.chars().count(), letters, "{name} folds to {folded}");
            assert!(folded.chars().all(|c| c.is_ascii_lowercase()), "{folded}");
        }
        assert_eq!(fold("Van der Berg"), "vanderberg");
        assert_eq!(fold("Đorđević"), "dordevic");
    }

    #[test]
    fn addresses_stay_unique_when_names_repeat() {
        let mut rng = ChaCha8Rng::seed_from_u64(5);
        let mut directory = Directory::with_capacity(20_000);
        let mut seen = std::collections::HashSet::new();
        for _ in 0..20_000 {
            let id = directory.mint(&mut rng);
            for address in std::iter::once(&id.email).chain(&id.aliases) {
                assert!(address.is_ascii(), "{address}");
                assert!(seen.insert(address.clone()), "{address} handed out twice");
            }
        }
    }
}
