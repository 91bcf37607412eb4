package demo

// Word lists the company is drawn from. They are plain data; the choice of
// names is deliberately international and includes a few accented ones so
// imports are exercised with real UTF-8.

// nicknames maps a formal first name to the short forms people actually
// sign with. Dedupe cannot find these by edit distance (DOMAIN §9), which
// is why nickname duplicates are planted.
var nicknames = map[string][]string{
	"William": {"Bill", "Will"}, "Robert": {"Bob", "Rob"}, "Richard": {"Rick", "Dick"},
	"Margaret": {"Peggy", "Maggie"}, "Elizabeth": {"Liz", "Beth"}, "Katherine": {"Kate", "Kathy"},
	"James": {"Jim", "Jimmy"}, "Michael": {"Mike"}, "Jennifer": {"Jen", "Jenny"},
	"Thomas": {"Tom"}, "Joseph": {"Joe"}, "Charles": {"Chuck", "Charlie"},
	"Christopher": {"Chris"}, "Daniel": {"Dan", "Danny"}, "Matthew": {"Matt"},
	"Anthony": {"Tony"}, "Steven": {"Steve"}, "Andrew": {"Andy", "Drew"},
	"Edward": {"Ted", "Ed"}, "Patricia": {"Pat", "Trish"}, "Alexander": {"Alex"},
	"Benjamin": {"Ben"}, "Samuel": {"Sam"}, "Rebecca": {"Becky"}, "Susan": {"Sue"},
	"Deborah": {"Debbie"}, "Jonathan": {"Jon"}, "Nicholas": {"Nick"}, "Timothy": {"Tim"},
	"Victoria": {"Vicky"}, "Barbara": {"Barb"}, "Kenneth": {"Ken"}, "Ronald": {"Ron"},
	"Gregory": {"Greg"}, "Jacqueline": {"Jackie"}, "Theodore": {"Theo"}, "Alexandra": {"Sasha", "Alex"},
	"Francesca": {"Fran"}, "Giuseppe": {"Beppe"}, "Johannes": {"Hannes"}, "Aleksandr": {"Sasha"},
}

// firstNames mixes the nickname-able formal names with others.
var firstNames = []string{
	"William", "Robert", "Richard", "Margaret", "Elizabeth", "Katherine", "James", "Michael",
	"Jennifer", "Thomas", "Joseph", "Charles", "Christopher", "Daniel", "Matthew", "Anthony",
	"Steven", "Andrew", "Edward", "Patricia", "Alexander", "Benjamin", "Samuel", "Rebecca",
	"Susan", "Deborah", "Jonathan", "Nicholas", "Timothy", "Victoria", "Barbara", "Kenneth",
	"Ronald", "Gregory", "Jacqueline", "Theodore", "Alexandra", "Francesca", "Giuseppe", "Johannes",
	"Aleksandr", "Olivia", "Emma", "Sophia", "Ava", "Mia", "Amelia", "Harper", "Evelyn", "Abigail",
	"Emily", "Ella", "Scarlett", "Grace", "Chloe", "Camila", "Aria", "Layla", "Nora", "Zoe",
	"Hannah", "Lily", "Ellie", "Leah", "Hazel", "Aurora", "Maya", "Priya", "Ananya", "Aisha",
	"Fatima", "Mei", "Yuki", "Sakura", "Hana", "Ji-woo", "Seo-yeon", "Ingrid", "Astrid", "Freya",
	"Sofía", "Lucía", "Valentina", "Isabela", "Renée", "Chloé", "Léa", "Anaïs", "Zoë", "Noémie",
	"Liam", "Noah", "Oliver", "Elijah", "Lucas", "Mason", "Logan", "Ethan", "Aiden", "Jackson",
	"Sebastian", "Mateo", "Henry", "Owen", "Wyatt", "Julian", "Levi", "Isaac", "Gabriel", "Caleb",
	"Arjun", "Rohan", "Vikram", "Rahul", "Amit", "Wei", "Hao", "Jun", "Hiroshi", "Kenji",
	"Min-jun", "Tariq", "Omar", "Yusuf", "Kwame", "Chidi", "Lars", "Erik", "Mikael", "Sven",
	"José", "Andrés", "Joaquín", "Björn", "Jürgen", "François", "Stéphane", "Nicolás", "Tomás", "Raúl",
	"Diego", "Carlos", "Luis", "Miguel", "Pedro", "Marco", "Luca", "Matteo", "Pieter", "Daan",
}

var lastNames = []string{
	"Smith", "Johnson", "Williams", "Brown", "Jones", "Garcia", "Miller", "Davis", "Rodriguez", "Martinez",
	"Hernandez", "Lopez", "Gonzalez", "Wilson", "Anderson", "Thomas", "Taylor", "Moore", "Jackson", "Martin",
	"Lee", "Perez", "Thompson", "White", "Harris", "Sanchez", "Clark", "Ramirez", "Lewis", "Robinson",
	"Walker", "Young", "Allen", "King", "Wright", "Scott", "Torres", "Nguyen", "Hill", "Flores",
	"Green", "Adams", "Nelson", "Baker", "Hall", "Rivera", "Campbell", "Mitchell", "Carter", "Roberts",
	"Gomez", "Phillips", "Evans", "Turner", "Diaz", "Parker", "Cruz", "Edwards", "Collins", "Reyes",
	"Stewart", "Morris", "Morales", "Murphy", "Cook", "Rogers", "Gutierrez", "Ortiz", "Morgan", "Cooper",
	"Peterson", "Bailey", "Reed", "Kelly", "Howard", "Ramos", "Kim", "Cox", "Ward", "Richardson",
	"Watson", "Brooks", "Chavez", "Wood", "James", "Bennett", "Gray", "Mendoza", "Ruiz", "Hughes",
	"Price", "Alvarez", "Castillo", "Sanders", "Patel", "Myers", "Long", "Ross", "Foster", "Jimenez",
	"Müller", "Schmidt", "Schneider", "Fischer", "Weber", "Meyer", "Wagner", "Becker", "Schulz", "Hoffmann",
	"Dubois", "Lefèvre", "Moreau", "Laurent", "Simon", "Michel", "Garnier", "Rousseau", "Bonnet", "Fontaine",
	"Rossi", "Russo", "Ferrari", "Esposito", "Bianchi", "Romano", "Colombo", "Ricci", "Marino", "Greco",
	"de Vries", "van Dijk", "Bakker", "Janssen", "Visser", "Smit", "Meijer", "de Boer", "Mulder", "Bos",
	"Johansson", "Andersson", "Karlsson", "Nilsson", "Eriksson", "Larsson", "Olsen", "Hansen", "Nielsen", "Jensen",
	"Sharma", "Singh", "Kumar", "Gupta", "Iyer", "Reddy", "Nair", "Menon", "Chatterjee", "Desai",
	"Wang", "Li", "Zhang", "Liu", "Chen", "Yang", "Huang", "Zhao", "Wu", "Zhou",
	"Sato", "Suzuki", "Takahashi", "Tanaka", "Watanabe", "Ito", "Yamamoto", "Nakamura", "Park", "Choi",
	"O'Brien", "O'Connor", "McCarthy", "Byrne", "Ryan", "Walsh", "Doyle", "Kennedy", "Lynch", "Murray",
	"Okafor", "Adeyemi", "Mensah", "Osei", "Abubakar", "Haddad", "Khalil", "Nasser", "Cohen", "Levi",
	"Silva", "Santos", "Oliveira", "Souza", "Pereira", "Costa", "Ferreira", "Almeida", "Carvalho", "Ribeiro",
}

// titles are job titles with the weight they appear with. Titles holding
// "Operations" matter: the hidden segment keys on them.
var titles = []struct {
	title  string
	weight float64
}{
	{"Marketing Manager", 6}, {"Senior Marketing Manager", 4}, {"Director of Marketing", 4},
	{"VP Marketing", 2}, {"CMO", 1}, {"Demand Generation Manager", 3}, {"Growth Marketing Lead", 2},
	{"Marketing Operations Manager", 3}, {"Revenue Operations Manager", 3}, {"Director of Operations", 3},
	{"VP Operations", 1.5}, {"Operations Analyst", 2.5}, {"Sales Operations Specialist", 1.5},
	{"Data Analyst", 5}, {"Senior Data Analyst", 3}, {"Data Engineer", 4}, {"Analytics Engineer", 3},
	{"Head of Data", 2}, {"Director of Analytics", 2}, {"BI Developer", 3}, {"Data Scientist", 3},
	{"Software Engineer", 4}, {"Engineering Manager", 2}, {"CTO", 1}, {"CIO", 1},
	{"Product Manager", 3}, {"Head of Product", 1}, {"Finance Manager", 2}, {"CFO", 1},
	{"Controller", 1}, {"Account Executive", 2}, {"Sales Director", 1.5}, {"Customer Success Manager", 2},
	{"IT Manager", 2}, {"Procurement Specialist", 1}, {"Founder & CEO", 1}, {"COO", 1},
}

// industries are the verticals accounts belong to, with weights.
// "Logistics" is the hidden segment's industry.
var industries = []struct {
	name   string
	weight float64
}{
	{"Software", 16}, {"Financial Services", 11}, {"Healthcare", 10}, {"Logistics", 10},
	{"Retail", 9}, {"Manufacturing", 9}, {"Education", 6}, {"Media", 5},
	{"Telecommunications", 5}, {"Energy", 4}, {"Professional Services", 8}, {"Public Sector", 3},
	{"Travel & Hospitality", 4},
}

// industryWords give account names a flavour of their industry.
var industryWords = map[string][]string{
	"Software":              {"Labs", "Systems", "Software", "Cloud", "Technologies", "IO"},
	"Financial Services":    {"Capital", "Financial", "Bank", "Partners", "Insurance", "Payments"},
	"Healthcare":            {"Health", "Medical", "Clinics", "Care", "Therapeutics", "Diagnostics"},
	"Logistics":             {"Logistics", "Freight", "Shipping", "Transport", "Supply", "Cargo"},
	"Retail":                {"Retail", "Stores", "Outfitters", "Market", "Goods", "Brands"},
	"Manufacturing":         {"Manufacturing", "Industries", "Works", "Components", "Materials", "Fabrication"},
	"Education":             {"Learning", "Academy", "Education", "University", "Schools", "Institute"},
	"Media":                 {"Media", "Studios", "Publishing", "Broadcasting", "Press", "Entertainment"},
	"Telecommunications":    {"Telecom", "Networks", "Communications", "Wireless", "Connect", "Fiber"},
	"Energy":                {"Energy", "Power", "Renewables", "Utilities", "Solar", "Grid"},
	"Professional Services": {"Consulting", "Advisors", "Group", "Associates", "Partners", "Solutions"},
	"Public Sector":         {"Authority", "Agency", "Council", "Services", "Department", "Trust"},
	"Travel & Hospitality":  {"Travel", "Hotels", "Resorts", "Hospitality", "Journeys", "Stays"},
}

var namePrefixes = []string{
	"Blue", "Iron", "North", "Silver", "Red", "Green", "Bright", "Clear", "Swift", "Stone",
	"Oak", "Pine", "Cedar", "Summit", "Harbor", "River", "Lake", "Sun", "Star", "Cloud",
	"Apex", "Vertex", "Nova", "Atlas", "Orbit", "Prime", "True", "Bold", "Keystone", "Granite",
	"Maple", "Willow", "Falcon", "Eagle", "Fox", "Wolf", "Bear", "Lion", "Hawk", "Raven",
	"Copper", "Cobalt", "Amber", "Crimson", "Indigo", "Jade", "Onyx", "Ruby", "Sapphire", "Topaz",
	"East", "West", "South", "High", "Deep", "Wide", "Far", "Open", "Quiet", "Rapid",
}

var nameCores = []string{
	"peak", "bridge", "field", "stone", "gate", "wave", "point", "line", "path", "way",
	"crest", "forge", "haven", "ridge", "view", "brook", "wood", "light", "spark", "mark",
	"port", "stream", "works", "base", "core", "loop", "shift", "scale", "grid", "track",
}

// regions and their countries with weights.
var regions = []struct {
	name      string
	weight    float64
	countries []string
}{
	{"NA", 45, []string{"US", "US", "US", "US", "CA"}},
	{"EMEA", 35, []string{"GB", "DE", "FR", "NL", "SE", "IE", "ES", "IT"}},
	{"APAC", 14, []string{"AU", "SG", "JP", "IN", "NZ"}},
	{"LATAM", 6, []string{"BR", "MX", "CO", "AR"}},
}

var personalDomains = []string{"gmail.com", "outlook.com", "yahoo.com", "icloud.com", "proton.me"}

// roleLocals are role mailboxes (DOMAIN §2.3) that end up in real lists.
var roleLocals = []string{"info", "noreply", "sales", "marketing", "support", "admin", "hello", "contact"}

var personas = []string{"Data Leader", "Analyst", "Marketer", "Executive", "Engineer", "Operator"}

var leadSources = []string{"google", "linkedin", "newsletter", "g2", "partner", "webinar", "direct", "facebook"}
