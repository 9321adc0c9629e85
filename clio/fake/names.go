package fake

// Name lists for the sample firm. They only need to be varied and
// deterministic; a few non-ASCII names keep matching code honest.

var firstNames = []string{
	"James", "Mary", "John", "Patricia", "Robert", "Jennifer", "Michael", "Linda",
	"William", "Elizabeth", "David", "Barbara", "Richard", "Susan", "Joseph", "Jessica",
	"Thomas", "Sarah", "Charles", "Karen", "Daniel", "Nancy", "Matthew", "Lisa",
	"Anthony", "Betty", "Mark", "Margaret", "Donald", "Sandra", "Steven", "Ashley",
	"Andrew", "Kimberly", "Joshua", "Emily", "Kevin", "Donna", "Brian", "Michelle",
	"George", "Carol", "Wei", "Mei", "Raj", "Anita", "Carlos", "María", "José",
	"Sofía", "Ahmed", "Fatima", "Hiroshi", "Yuki", "Olga", "Dmitri", "Chloé", "Zoë",
	"Liam", "Noah", "Ava", "Mia", "Ethan", "Isabella", "Lucas", "Amara", "Kwame",
	"Siobhan", "Niamh", "Seán", "Ann", "Jane",
}

var lastNames = []string{
	"Smith", "Johnson", "Williams", "Brown", "Jones", "Garcia", "Miller", "Davis",
	"Rodriguez", "Martinez", "Hernandez", "Lopez", "Gonzalez", "Wilson", "Anderson",
	"Thomas", "Taylor", "Moore", "Jackson", "Martin", "Lee", "Perez", "Thompson",
	"White", "Harris", "Sanchez", "Clark", "Ramirez", "Lewis", "Robinson", "Walker",
	"Young", "Allen", "King", "Wright", "Scott", "Torres", "Nguyen", "Hill", "Flores",
	"Green", "Adams", "Nelson", "Baker", "Hall", "Rivera", "Campbell", "Mitchell",
	"Carter", "Roberts", "O'Brien", "O'Connor", "McDonald", "García", "Müller",
	"Kowalski", "Chen", "Wang", "Kim", "Park", "Patel", "Singh", "Khan", "Cohen",
	"Rossi", "Dubois", "Okafor", "Haddad", "Tanaka", "Ivanova", "St. James",
	"van der Berg", "Da Silva", "Lee-Wong",
}

var companyWords = []string{
	"Acme", "Summit", "Harbor", "Pioneer", "Keystone", "Granite", "Evergreen",
	"Northwind", "Bluebird", "Liberty", "Meridian", "Riverside", "Sterling", "Atlas",
	"Beacon", "Cedar", "Crescent", "Hudson", "Empire", "Brooklyn", "Lakeside",
	"Redwood", "Silverline", "Oakmont", "Union", "Vantage", "Westfield", "Zenith",
	"Highland", "Orchard", "Parkview", "Quantum", "Maple", "Bridgeport", "Coastal",
}

var companyKinds = []string{
	"Properties", "Holdings", "Construction", "Logistics", "Realty", "Partners",
	"Bakery", "Dental", "Consulting", "Imports", "Capital", "Motors", "Foods",
	"Design", "Media", "Staffing", "Medical Group", "Auto Body", "Landscaping",
}

var companySuffixes = []string{"LLC", "Inc.", "LLC", "Inc.", "Corp.", "Ltd.", "LLP", "Co."}

// vanityNumbers are toll-free "spell it" numbers companies advertise.
var vanityNumbers = []string{
	"1-800-FLOWERS", "1-800-GO-MOVER", "1-888-BUY-HOME", "1-877-LAW-HELP",
	"1-800-DENTIST", "1-866-FIX-ROOF", "1-800-CAR-BODY", "1-888-TAX-CPAS",
	"1-800-BAKE-NOW", "1-877-HIRE-NOW",
}

// practiceAreas are the sample firm's practice areas (ids 1..8).
var practiceAreas = []string{
	"Family Law", "Real Estate", "Litigation", "Estate Planning", "Corporate",
	"Criminal Defense", "Immigration", "Employment",
}

// matterDescriptions holds description templates per practice area; %s is
// replaced by the client's name or a street name.
var matterDescriptions = map[string][]string{
	"Family Law":       {"Divorce – %s", "Child custody modification – %s", "Prenuptial agreement – %s", "Child support enforcement – %s", "Adoption – %s"},
	"Real Estate":      {"Purchase of %d Elm Street", "Sale of %d Maple Avenue", "Commercial lease review – %s", "Landlord-tenant dispute – %s", "Refinance closing – %s"},
	"Litigation":       {"%s v. Hudson Insurance Co.", "Breach of contract – %s", "Slip and fall – %s", "Collections action – %s", "Appeal – %s"},
	"Estate Planning":  {"Will and trust – %s", "Probate of estate – %s", "Power of attorney – %s", "Trust administration – %s"},
	"Corporate":        {"Formation – %s", "Shareholder agreement – %s", "Asset purchase – %s", "Annual compliance – %s", "Trademark filing – %s"},
	"Criminal Defense": {"State v. %s", "DUI defense – %s", "Expungement – %s", "Traffic violation – %s"},
	"Immigration":      {"H-1B petition – %s", "Green card application – %s", "Naturalization – %s", "Asylum application – %s"},
	"Employment":       {"Wrongful termination – %s", "Severance negotiation – %s", "Wage claim – %s", "Employment contract review – %s"},
}
