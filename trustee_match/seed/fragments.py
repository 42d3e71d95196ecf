"""Names, places and sentence fragments the demo data is composed from. Fictional throughout."""

from __future__ import annotations

# Packed several to a line on purpose: one name per line would make this file four times as long.
# fmt: off

FIRST_NAMES = (
    "Aisha", "Alex", "Amara", "Amelia", "Andrew", "Anjali", "Ben", "Bethan", "Callum", "Carys",
    "Chloe", "Chidi", "Ciaran", "Daniel", "Deepa", "Eilidh", "Eleanor", "Emeka", "Emily", "Ewan",
    "Fatima", "Finn", "Freya", "Gareth", "Georgia", "Grace", "Hamza", "Hannah", "Harpreet",
    "Imogen", "Isla", "Jack", "James", "Jasmine", "Joanna", "Jonathan", "Kemi", "Kieran", "Laura",
    "Leah", "Liam", "Lucy", "Mairead", "Marcus", "Maya", "Mohammed", "Morgan", "Naomi", "Nathan",
    "Niamh", "Nikhil", "Oliver", "Olivia", "Omar", "Owen", "Patrick", "Priya", "Rachel", "Rahul",
    "Rebecca", "Rhys", "Rosa", "Ruth", "Sam", "Sana", "Sarah", "Seren", "Simon", "Siobhan",
    "Sophie", "Stuart", "Tariq", "Thomas", "Tom", "Tomasz", "Una", "Victoria", "Wei", "Yasmin",
    "Yusuf", "Zara", "Zoe", "Adebayo", "Agnieszka", "Catriona", "Dev", "Ffion", "Kwame", "Mei",
)

LAST_NAMES = (
    "Adeyemi", "Ahmed", "Ali", "Anderson", "Baker", "Begum", "Bell", "Bennett", "Boateng", "Brown",
    "Campbell", "Chan", "Chaudhry", "Clarke", "Collins", "Cooper", "Davies", "Doherty", "Edwards",
    "Evans", "Fraser", "Gallagher", "Ghosh", "Graham", "Green", "Griffiths", "Hall", "Harris",
    "Hughes", "Hussain", "Iqbal", "Jackson", "James", "Jones", "Kaur", "Kelly", "Khan", "Kowalski",
    "Lee", "Lewis", "Li", "MacDonald", "McLaughlin", "Mensah", "Mistry", "Morgan", "Morris",
    "Murphy", "Murray", "Nguyen", "Nowak", "O'Brien", "O'Neill", "Okafor", "Owen", "Parry", "Patel",
    "Phillips", "Price", "Quinn", "Rahman", "Reid", "Roberts", "Robertson", "Robinson", "Ross",
    "Scott", "Shah", "Sharma", "Singh", "Smith", "Stewart", "Taylor", "Thomas", "Thompson",
    "Turner", "Walker", "Wang", "Watson", "White", "Williams", "Wilson", "Wright", "Young", "Zhang",
)

TOWNS_BY_REGION = {
    "North East": ("Newcastle upon Tyne", "Sunderland", "Durham", "Middlesbrough", "Gateshead"),
    "North West": ("Manchester", "Liverpool", "Preston", "Lancaster", "Bolton", "Chester"),
    "Yorkshire and the Humber": ("Leeds", "Sheffield", "Bradford", "Hull", "York", "Huddersfield"),
    "East Midlands": ("Nottingham", "Leicester", "Derby", "Lincoln", "Northampton"),
    "West Midlands": ("Birmingham", "Coventry", "Wolverhampton", "Stoke-on-Trent", "Worcester"),
    "East of England": ("Norwich", "Cambridge", "Ipswich", "Peterborough", "Colchester", "Luton"),
    "London": ("Hackney", "Lambeth", "Tower Hamlets", "Croydon", "Camden", "Brent", "Lewisham"),
    "South East": ("Brighton", "Oxford", "Reading", "Southampton", "Portsmouth", "Canterbury"),
    "South West": ("Bristol", "Plymouth", "Exeter", "Bath", "Gloucester", "Truro"),
    "Wales": ("Cardiff", "Swansea", "Newport", "Wrexham", "Bangor", "Aberystwyth"),
    "Scotland": ("Glasgow", "Edinburgh", "Aberdeen", "Dundee", "Inverness", "Stirling"),
    "Northern Ireland": ("Belfast", "Derry", "Newry", "Lisburn", "Armagh", "Enniskillen"),
}

# Volunteers are mostly tech people; charities mostly ask for digital skills, plus the classics.
VOLUNTEER_GROUP_WEIGHTS = {
    "Digital and technology": 28, "Data": 18, "Security and privacy": 12, "Product and design": 14,
    "Marketing and communications": 10, "Fundraising and income": 3, "Finance and legal": 7,
    "Governance and people": 6, "Sector knowledge": 2,
}
NEED_GROUP_WEIGHTS = {
    "Digital and technology": 24, "Data": 14, "Security and privacy": 15, "Product and design": 8,
    "Marketing and communications": 8, "Fundraising and income": 5, "Finance and legal": 14,
    "Governance and people": 10, "Sector knowledge": 2,
}

# Volunteers cluster where tech jobs are; charities are spread more evenly.
VOLUNTEER_REGION_WEIGHTS = {
    "London": 26,
    "South East": 13,
    "North West": 9,
    "Scotland": 8,
    "Yorkshire and the Humber": 7,
    "South West": 7,
    "West Midlands": 7,
    "East of England": 7,
    "East Midlands": 5,
    "Wales": 4,
    "North East": 4,
    "Northern Ireland": 3,
}

# cause slug -> (who the charity serves, what it does, cores for charity names)
CAUSE_PROFILES = {
    "children-young-people": (
        "children and young people",
        "runs youth clubs, mentoring and holiday activities",
        ("Youth Project", "Young People's Trust", "Kids Club"),
    ),
    "older-people": (
        "older people",
        "runs lunch clubs, befriending calls and advice sessions",
        ("Age Well", "Later Life", "Silver Circle"),
    ),
    "carers": (
        "unpaid carers",
        "offers respite breaks, peer support and advice",
        ("Young Carers", "Carers Centre", "Carers Support"),
    ),
    "mental-health": (
        "people living with mental ill health",
        "offers peer support groups, counselling and crisis cafes",
        ("Mental Health Matters", "Wellbeing", "Mind and Body"),
    ),
    "health": (
        "patients and families",
        "funds research and runs support services for families",
        ("Health Trust", "Heart Support", "Patient Voice"),
    ),
    "disability": (
        "disabled people",
        "provides advocacy, accessible activities and independent living support",
        ("Disability Forum", "Access For All", "Independent Living"),
    ),
    "homelessness-housing": (
        "people who are homeless or at risk of homelessness",
        "runs a night shelter, tenancy support and a day centre",
        ("Night Shelter", "Housing Aid", "Open Door"),
    ),
    "poverty": (
        "families facing financial hardship",
        "runs a food bank, debt advice and a community pantry",
        ("Food Bank", "Community Pantry", "Money Advice"),
    ),
    "domestic-abuse": (
        "survivors of domestic abuse",
        "runs refuges, a helpline and recovery programmes",
        ("Women's Aid", "Safe Haven", "Refuge Partnership"),
    ),
    "refugees-asylum": (
        "refugees and people seeking asylum",
        "provides English classes, casework and a welcome drop-in",
        ("Refugee Welcome", "Sanctuary", "New Neighbours"),
    ),
    "women-girls": (
        "women and girls",
        "runs leadership programmes, support groups and a drop-in centre",
        ("Women's Centre", "Girls Network", "Sisters Together"),
    ),
    "lgbtq": (
        "LGBTQ+ people",
        "runs youth groups, a helpline and community events",
        ("Pride", "Rainbow Network", "LGBTQ+ Centre"),
    ),
    "race-equality": (
        "Black, Asian and minority ethnic communities",
        "challenges discrimination and runs advice and leadership programmes",
        ("Race Equality Council", "Community Voices", "Equality Network"),
    ),
    "criminal-justice": (
        "people leaving prison and their families",
        "provides mentoring, housing support and family visits",
        ("Second Chances", "Through the Gate", "Fresh Start"),
    ),
    "addiction": (
        "people affected by drug and alcohol use",
        "runs recovery cafes, peer mentoring and family support",
        ("Recovery Network", "Road to Recovery", "Recovery Cafe"),
    ),
    "education-skills": (
        "learners of all ages",
        "runs tutoring, adult literacy and employability courses",
        ("Learning Partnership", "Skills Hub", "Reading Project"),
    ),
    "digital-inclusion": (
        "people who are digitally excluded",
        "lends devices, provides data and teaches digital skills",
        ("Digital Hub", "Get Online", "Tech Buddies"),
    ),
    "community-development": (
        "local residents",
        "runs a community centre, a garden and neighbourhood events",
        ("Community Association", "Neighbourhood Trust", "Community Hub"),
    ),
    "environment-climate": (
        "communities who want greener neighbourhoods",
        "restores green spaces, runs repair cafes and climate education",
        ("Green Spaces", "Climate Action", "Rivers Trust"),
    ),
    "animals": (
        "animals in need",
        "rescues, rehabilitates and rehomes animals",
        ("Animal Rescue", "Wildlife Trust", "Dog Rescue"),
    ),
    "arts-culture": (
        "artists and audiences",
        "runs a community theatre, workshops and a festival",
        ("Arts Collective", "Community Theatre", "Music Project"),
    ),
    "heritage": (
        "people who love local history",
        "cares for a historic building and runs volunteer-led tours",
        ("Heritage Trust", "Civic Society", "History Centre"),
    ),
    "sport": (
        "people who want to get active",
        "runs inclusive sports sessions and a community club",
        ("Sports Trust", "Active Together", "Boxing Club"),
    ),
    "faith": (
        "people of all faiths and none",
        "runs interfaith dialogue, a food project and community support",
        ("Interfaith Forum", "Faith Network", "Churches Together"),
    ),
    "international-development": (
        "communities overseas",
        "partners with local organisations on water, education and livelihoods",
        ("Overseas Aid", "Partnership Africa", "Global Links"),
    ),
}

CHARITY_SUFFIXES = (
    "Network", "Trust", "Project", "Alliance", "Foundation", "Collective", "Partnership", "Centre",
    "Association",
)
NAME_ENDINGS = (
    "Club", "Council", "Bank", "Society", "Cafe", "Forum", "Hub", "Aid", "Rescue", "Circle",
    "Shelter", "Pantry", "Advice", "Voice", "Support", "Links", "Together", "Theatre", "Welcome",
)
CHARITY_NAME_TEMPLATES = (
    "{town} {core}", "{town} {core} {suffix}", "{core} {town}", "The {town} {core} {suffix}",
    "{core} {suffix} {town}", "{region_short} {core} {suffix}",
)

NOT_REGISTERED_REASONS = (
    "Community Interest Company (CIC) limited by guarantee",
    "Community Interest Company (CIC) limited by shares",
    "Income under £5,000 a year, so below the registration threshold",
        "Charitable incorporated organisation: registration application submitted",
    "Community benefit society regulated by the FCA",
)

REJECTION_REASONS = (
    "The regulator number is for a different organisation.",
    "We could not confirm that the applicant acts for the organisation.",
    "The organisation is a company with no charitable purposes.",
)

CONTACT_JOB_TITLES = (
    "Chief Executive", "Chair of Trustees", "Operations Manager", "Head of Fundraising", "Director",
    "Trustee", "Volunteer Coordinator", "Company Secretary", "Service Manager",
    "Development Manager", "Founder and Director",
)

CHARITY_DESCRIPTIONS = (
    "{name} {work} in and around {town}. {founded} {scale}",
    "Founded by local people, {name} {work}."
    " We work with {beneficiaries} across {region_phrase}. {scale}",
    "We are a {size} charity supporting {beneficiaries} in {town}. {name} {work}. {founded}",
    "{name} exists so that {beneficiaries} in {town} get the support they need."
    " {name} {work}. {scale}",
)
FOUNDED = (
    "We were set up in {year}.", "Established in {year}, we have grown steadily.",
    "We have been part of the community since {year}.",
)
SCALE = (
    "Last year we supported {count} people with {staff} staff and {volunteers} volunteers.",
    "Around {volunteers} volunteers make our work possible.",
    "We reach about {count} people a year.",
)

# Job titles for a volunteer's headline, by the group of their strongest skill.
JOB_TITLES_BY_GROUP = {
    "Digital and technology": (
        "Head of Digital", "CTO", "Engineering Manager", "Senior Software Engineer",
        "Principal Engineer", "Cloud Architect", "IT Director", "Digital Transformation Lead",
        "Solutions Architect", "Platform Lead",
    ),
    "Data": (
        "Head of Data", "Data Scientist", "Lead Data Engineer", "Analytics Manager",
        "Chief Data Officer", "Senior Data Analyst", "Data Governance Lead",
    ),
    "Security and privacy": (
        "CISO", "Security Architect", "SOC Manager", "Head of Information Security",
        "Data Protection Officer", "Privacy Counsel", "Cyber Risk Consultant",
    ),
    "Product and design": (
        "Product Director", "Senior Product Manager", "Lead Service Designer", "Head of UX",
        "User Research Lead", "Delivery Manager", "Accessibility Specialist",
    ),
    "Marketing and communications": (
        "Digital Marketing Manager", "Head of Content", "Communications Director",
        "Social Media Lead", "Brand Strategist", "SEO Consultant",
    ),
    "Fundraising and income": (
        "Head of Digital Fundraising", "Fundraising Director", "Partnerships Manager",
        "CRM Manager",
    ),
    "Finance and legal": (
        "Finance Director", "Chartered Accountant", "Audit Manager", "Technology Lawyer",
        "Commercial Counsel", "Fintech CFO",
    ),
    "Governance and people": (
        "Chief Operating Officer", "Programme Director", "HR Director", "Transformation Director",
        "Head of Risk", "Change Manager",
    ),
    "Sector knowledge": (
        "Digital Lead", "Head of Digital Services", "Innovation Manager",
        "Service Improvement Lead",
    ),
}
EMPLOYERS = (
    "a fintech scale-up", "an NHS trust", "a global bank", "a university", "a housing association",
    "a national retailer", "a local council", "a tech consultancy", "a games studio",
    "a government department", "an energy company", "a media group", "a SaaS start-up",
    "an insurance firm", "a national charity", "a telecoms company", "a law firm",
    "a Big Four firm",
)
HEADLINE_TEMPLATES = (
    "{title} at {employer}", "{title}, {years} years in {field}",
    "{title} | {skill_a}, {skill_b_lower}", "{title} helping teams with {skill_a_lower}",
    "{title} at {employer}, {skill_a_lower} specialist", "Independent consultant, formerly {title}",
    "{title}, formerly at {employer}",
)

BIO_OPENERS = (
    "I have spent {years} years working in {field}, most recently as {title_a} at {employer}.",
    "I'm {title_a} at {employer}, where I've worked for the last {short_years} years.",
    "My career started in {first_job} and I've spent the past {years} years in {field}.",
    "I work as {title_a} at {employer} and have {years} years' experience across {field}.",
    "After {short_years} years at {employer} as {title_a}, I now work independently.",
)
FIRST_JOBS = (
    "IT support", "a graduate scheme", "teaching", "the civil service", "retail", "a start-up",
    "the army", "journalism", "accountancy",
)
BIO_BRING = (
    "My strongest areas are {skills}, and I enjoy explaining technical choices in plain English.",
    "I can help a board with {skills}, and with asking the right questions of suppliers.",
    "Day to day I work on {skills}; I'd like to put that to use for a small charity.",
    "I bring hands-on experience of {skills}, and I'm comfortable turning strategy into a plan.",
    "Colleagues come to me for {skills}.",
)
BIO_WHY = (
    "I care about {causes} and want to give something back.",
    "I care deeply about {causes}, and I'd love to help a charity working in that space.",
    "I'm looking for a trustee role with a charity working on {causes}.",
    "Having volunteered with a local charity, I've seen how much difference the right skills"
    " on a board can make, especially for {causes}.",
    "I'd like to use my skills for a cause I believe in: {causes}.",
)
BIO_BOARD = {
    "none": (
        "This would be my first trustee role, and I'm keen to learn.",
        "I haven't sat on a board before but have presented to one many times.", "",
    ),
    "some": (
        "I've been a trustee of a small charity for {short_years} years.",
        "I sit on a school governing board and an advisory panel.",
        "I've served as a trustee before and know what good governance looks like.",
    ),
    "chaired": (
        "I've chaired a charity board and a sub-committee on digital.",
        "I chaired a housing association's audit and risk committee for four years.",
        "I'm a former chair of trustees of a regional charity.",
    ),
}
BIO_AVAILABILITY = (
    "I can give about {hours} hours a month{remote}.",
    "I have around {hours} hours a month to offer{remote}.",
    "Realistically I can commit {hours} hours a month{remote}.", "",
)

# Need titles for a need whose first required skill is the key; otherwise the generic templates.
NEED_TITLES_BY_SKILL = {
    "digital-strategy": ("Digital Trustee", "Trustee for Digital Strategy", "Digital Lead Trustee"),
    "digital-transformation": ("Digital Transformation Trustee", "Digital Trustee"),
    "cybersecurity": ("Trustee with cybersecurity expertise", "Cyber Security Trustee"),
    "treasurer": ("Treasurer", "Honorary Treasurer", "Trustee and Treasurer"),
    "chairing": ("Chair of Trustees", "Vice Chair"),
    "safeguarding": ("Safeguarding Trustee", "Lead Trustee for Safeguarding"),
    "data-protection": ("Trustee with data protection expertise", "Data Protection Trustee"),
    "finance-accounting": ("Finance Trustee", "Trustee with finance experience"),
    "legal": ("Legal Trustee", "Trustee with a legal background"),
}
NEED_TITLE_TEMPLATES = (
    "Trustee with {skill_lower} expertise", "{skill} Trustee", "Trustee: {skill_lower}",
    "Board member with {skill_lower} experience",
)

# What a board wants help with, by the group of the need's first required skill.
BOARD_PROJECTS = {
    "Digital and technology": (
        "replace our ageing CRM and spreadsheets", "move more of our services online",
        "write our first digital strategy", "choose and manage IT suppliers well",
        "make sense of our Microsoft 365 set-up",
    ),
    "Data": (
        "understand the impact of our services", "bring our data together in one place",
        "report to funders without weeks of manual work", "use data to decide where to focus",
    ),
    "Security and privacy": (
        "protect the sensitive data we hold", "work towards Cyber Essentials certification",
        "meet our UK GDPR obligations with confidence",
        "prepare for a cyber incident before it happens",
    ),
    "Product and design": (
        "redesign how people find and use our services", "make our website accessible to everyone",
        "test new services with the people who use them",
        "build a small digital product for our beneficiaries",
    ),
    "Marketing and communications": (
        "reach more people who need us", "tell our story more clearly online",
        "grow our supporter base on social media", "strengthen our campaigning voice",
    ),
    "Fundraising and income": (
        "diversify our income", "grow online giving",
        "build relationships with trusts and companies", "launch a trading arm",
    ),
    "Finance and legal": (
        "strengthen financial oversight", "set a sensible reserves policy",
        "review our contracts and leases", "prepare for a larger audit",
    ),
    "Governance and people": (
        "refresh our governance", "plan for the next five years",
        "support our staff team through a period of change", "review our risk register",
    ),
    "Sector knowledge": (
        "shape our services around people's needs", "work more closely with statutory partners",
        "plan our next strategy",
    ),
}
NEED_INTROS = (
    "{charity} {work} in {place}.",
    "At {charity} we support {beneficiaries} across {place}.",
    "{charity} is a {size} charity working with {beneficiaries} in {place}.",
    "Every year {charity} works with hundreds of {beneficiaries} in {place}.",
)
NEED_GAPS = (
    "Our board is strong on {strength} but has no one with {skill_lower} experience.",
    "As we work to {project}, the board wants a trustee who understands {skill_lower}.",
    "We want to {project}, and need someone on the board who can ask the right questions"
    " about {skill_lower}.",
    "Our trustees have told us the biggest gap on the board is {skill_lower}.",
    "Over the next two years we plan to {project}; a trustee with {skill_lower} experience"
    " would make a real difference.",
)
NEED_ROLES = (
    "Trustees meet {meetings} and join one sub-committee; expect about {hours} hours a month.",
    "The role takes around {hours} hours a month, including {meetings} board meetings{remote}.",
    "You'd join a friendly board of {board_size}, meeting {meetings}{remote}.",
)
NEED_ASKS = (
    "Experience of {desired} would be a bonus.",
    "We'd especially welcome applicants who reflect the communities we serve.",
    "No previous board experience is needed; we offer an induction and a buddy trustee.",
    "If you care about {cause_lower}, we would love to hear from you.", "",
)
BOARD_STRENGTHS = (
    "finance and fundraising", "frontline practice", "law and governance", "lived experience",
    "local partnerships", "service delivery",
)
MEETINGS = ("quarterly", "every other month", "six times a year", "monthly")
