"""The built-in trustee skills taxonomy: (slug, name, aliases).

The slugs and groups are the product's own (``trustee_match/data/skills.json``); each entry
also accepts the product's name for it ("Data protection and GDPR") and the words people use
in profiles and role adverts ("vCISO", "DPIAs", "ITT / tendering", "Salesforce admin"). Names
are short, as they read in a sentence ("Missing: cloud"). See ``SkillVocabulary`` for how
acronyms and everyday words are read in free text.
"""


def _entry(slug: str, name: str, aliases: str) -> tuple[str, str, tuple[str, ...]]:
    """An entry from aliases written as one text, separated by ";" (line breaks are spaces)."""
    return slug, name, tuple(" ".join(a.split()) for a in aliases.split(";") if a.strip())


DEFAULT_SKILLS: list[tuple[str, str, tuple[str, ...]]] = [_entry(*e) for e in [
    # Digital and technology
    ("digital-strategy", "digital strategy", """
        Digital strategy; digital leadership; tech strategy; technology strategy; IT strategy;
        chief digital officer; digital roadmap; head of digital; director of digital; digital
        director
    """),
    ("digital-transformation", "digital transformation", """
        Digital transformation; digital change; business transformation; modernisation;
        modernization; digitisation; digitalisation; digital programme; transformation programme
    """),
    ("technology-leadership", "technology leadership", """
        Technology leadership; CTO; CIO; chief technology officer; chief information officer;
        head of IT; IT director; engineering leadership; fractional CTO; interim CTO; head of
        technology; director of technology; VP engineering; head of engineering; engineering
        manager
    """),
    ("software-engineering", "software engineering", """
        Software engineering; software development; software engineer; programming; coding;
        developer; backend development; full stack; full-stack developer; backend; Java; C#;
        Ruby; Golang
    """),
    ("web-development", "web development", """
        Web development; Squarespace; Wix; HTML; CSS; front-end developer; website; websites;
        web design; web developer; frontend; front end; front-end development; WordPress;
        Drupal; CMS; React; JavaScript; TypeScript
    """),
    ("cloud-infrastructure", "cloud", """
        Cloud and IT infrastructure; cloud engineer; infrastructure engineer; on-premises; data
        centres; Google Cloud Platform; cloud computing; AWS; Amazon Web Services; Azure;
        Microsoft Azure; Google Cloud; GCP; IT infrastructure; infrastructure; networking;
        network engineering; cloud migration; cloud infrastructure; servers; VMware; sysadmin;
        systems administration; data centre; networks; network infrastructure
    """),
    ("workplace-it", "workplace IT", """
        Microsoft 365 and workplace IT; IT manager; IT management; IT helpdesk; laptops;
        Microsoft 365; M365; Office 365; O365; SharePoint; Microsoft Teams; Google Workspace; IT
        support; helpdesk; help desk; desktop support; end user computing; Intune; workplace IT
    """),
    ("devops", "DevOps", """
        DevOps and platform engineering; SRE; site reliability engineering; site reliability;
        platform engineering; CI/CD; continuous integration; infrastructure as code; Kubernetes;
        Terraform; Docker
    """),
    ("architecture", "enterprise architecture", """
        Enterprise and solution architecture; solution architecture; solutions architect;
        solution architect; technical architecture; systems architecture; enterprise architect;
        TOGAF
    """),
    ("ai-machine-learning", "AI and machine learning", """
        AI and machine learning; AI/ML; prompt engineering; ChatGPT; Copilot; chatbots; AI
        product; AI adoption; AI tools; AI; ML; artificial intelligence; machine learning;
        generative AI; GenAI; LLMs; LLM; large language models; deep learning; NLP; computer
        vision; AI strategy
    """),
    ("automation-low-code", "automation and low-code", """
        Automation and low-code; automation; low-code; low code; no-code; no code; Power
        Automate; Power Apps; Zapier; RPA; Airtable; workflow automation
    """),
    ("crm-fundraising-tech", "CRM and fundraising technology", """
        CRM and fundraising technology; CRM; CRM systems; Salesforce; Salesforce NPSP; NPSP;
        Salesforce admin; Salesforce administrator; Dynamics; Microsoft Dynamics; Dynamics 365;
        Beacon CRM; Raiser's Edge; Raisers Edge; Blackbaud; donor database; supporter database;
        fundraising CRM; fundraising database; Donorfy; ThankQ; CiviCRM; HubSpot; customer
        relationship management; Beacon; Salesforce Nonprofit Cloud; Nonprofit Cloud
    """),
    ("ecommerce-payments", "e-commerce and payments", """
        E-commerce and payments; e-commerce; ecommerce; online shop; online retail; online
        payments; payments; Stripe; payment processing; PCI DSS; PCI; fintech; Shopify
    """),
    ("it-procurement", "IT procurement", """
        IT procurement and supplier management; procurement manager; buyer; category manager;
        sourcing; tender evaluation; bid evaluation; Procurement Act; procurement; vendor
        management; supplier management; tendering; tender; tenders; ITT; ITTs; invitation to
        tender; RFP; RFQ; software selection; public procurement; outsourcing; contract
        negotiation; G-Cloud; framework agreements; purchasing; supply chain
    """),
    ("it-service-management", "IT service management", """
        IT service management; ITSM; ITIL; service desk; IT operations; service management
    """),
    ("digital-inclusion", "digital inclusion", """
        Digital inclusion; digital champions; device lending; digital exclusion; digital skills;
        digital literacy; data poverty; digital divide
    """),
    # Data
    ("data-strategy", "data strategy", """
        Data strategy; data transformation; data-led; chief data officer; data-driven; data
        maturity; data leadership; head of data
    """),
    ("data-analytics", "data and analytics", """
        Data and analytics; data visualisation; data visualization; reporting analyst; insight
        analyst; management information; KPIs; Excel; data analysis; analytics; data analyst;
        data analytics; business intelligence; BI; Power BI; Tableau; Looker; dashboards;
        reporting; insight; insights
    """),
    ("data-engineering", "data engineering", """
        Data engineering; data pipelines; ETL; data warehouse; data warehousing; data platform;
        SQL; Databricks; Snowflake; dbt; databases; data engineer
    """),
    ("data-science", "data science", """
        Data science; predictive analytics; econometrics; statistician; data scientist;
        statistics; predictive modelling; predictive modeling; statistical modelling; Python
    """),
    ("data-governance", "data governance", """
        Data governance; data standards; metadata; data quality; data management; master data
        management; MDM; data stewardship; records management; retention schedules
    """),
    ("data-ethics", "data and AI ethics", """
        Data and AI ethics; AI safety; algorithmic fairness; AI assurance; AI risk; data ethics;
        AI ethics; responsible AI; algorithmic bias; AI governance; ethical AI
    """),
    ("impact-measurement", "impact measurement", """
        Impact measurement and evaluation; impact measurement; evaluation; monitoring and
        evaluation; M&E; MEL; outcomes measurement; theory of change; social impact; impact
        reporting; SROI; impact evaluation; outcomes frameworks
    """),
    # Security and privacy
    ("cybersecurity", "cybersecurity", """
        Cybersecurity; information assurance; security risk; security policies; NIST; security
        audits; red team; phishing simulations; ransomware; SOC 2; cyber security strategy;
        infosec; information security; cyber security; cyber-security; cyber; IT security;
        security; CISO; vCISO; virtual CISO; fractional CISO; Cyber Essentials; Cyber Essentials
        Plus; ISO 27001; ISO27001; penetration testing; pen testing; pentesting; ethical
        hacking; security architecture; security governance; cyber risk; NCSC; CISSP; CISM;
        application security; AppSec; cloud security; threat modelling; security awareness; head
        of information security; information security manager; penetration test; pen test
    """),
    ("security-operations", "security operations", """
        Security operations; SOC lead; CSIRT; security monitoring; detection and response; MDR;
        blue teaming; digital forensics; security incident management; SOC; security operations
        centre; security operations center; SecOps; incident response; threat detection; SIEM;
        blue team; threat intelligence; threat hunting; vulnerability management; EDR; XDR;
        Splunk; SOC analyst; SOC manager; incident handling; incident management
    """),
    ("identity-access", "identity and access management", """
        Identity and access management; IAM; identity management; access management; SSO; single
        sign-on; MFA; multi-factor authentication; Okta; Entra ID; Azure AD; Active Directory
    """),
    ("data-protection", "data protection", """
        Data protection and GDPR; data protection lead; privacy officer; privacy compliance;
        information rights; ROPA; data sharing agreements; IG lead; information governance lead;
        DSPT; DSP Toolkit; Data Security and Protection Toolkit; GDPR; UK GDPR; privacy; data
        privacy; DPO; data protection officer; DPIA; DPIAs; data protection impact assessment;
        information governance; Caldicott Guardian; Caldicott; ICO; subject access requests;
        SAR; SARs; FOI; freedom of information; Data Protection Act; privacy by design; PECR;
        data breaches; info governance; IG; IG toolkit
    """),
    ("business-continuity", "business continuity", """
        Business continuity and resilience; business continuity; BCP; BCM; disaster recovery;
        DR; cyber resilience; resilience; crisis management; continuity planning
    """),
    ("online-safety", "online safety", """
        Online safety; trust and safety; content moderation; child online safety; content
        filtering; age assurance; online harms; internet safety; e-safety; Online Safety Act;
        digital safeguarding
    """),
    # Product and design
    ("product-management", "product management", """
        Product management; product; product manager; product owner; product strategy; product
        leadership; roadmapping; head of product; product lead
    """),
    ("ux-service-design", "UX and service design", """
        UX and service design; UI/UX; human-centred design; human-centered design; CX design;
        customer experience design; UX; user experience; UX design; service design; UI design;
        interaction design; design thinking; user-centred design; user centered design; service
        designer; UX designer; UX/UI
    """),
    ("user-research", "user research", """
        User research; UX research; design research; UR; user researcher; usability testing;
        user testing; customer research; qualitative research
    """),
    ("content-design", "content design", """
        Content design; content designer; UX writing; plain English; content strategy
    """),
    ("accessibility", "accessibility", """
        Accessibility; screen readers; assistive technology; accessible design; a11y; WCAG;
        digital accessibility; inclusive design; accessibility audits
    """),
    ("agile-delivery", "agile delivery", """
        Agile delivery; agile; scrum; kanban; delivery management; delivery manager; scrum
        master; lean
    """),
    # Marketing and communications
    ("digital-marketing", "digital marketing", """
        Digital marketing; Google Analytics; GA4; growth marketing; paid search; paid media;
        digital campaigns; online marketing; performance marketing; PPC; Google Ads; Google Ad
        Grants; paid social; email marketing; marketing automation; Mailchimp
    """),
    ("social-media", "social media", """
        Social media; Facebook; LinkedIn; social media management; social media marketing;
        Instagram; TikTok; community management
    """),
    ("content-seo", "content and SEO", """
        Content and SEO; SEO; search engine optimisation; search engine optimization; content
        marketing; copywriting; blogging
    """),
    ("marketing-strategy", "marketing and brand", """
        Marketing and brand; brand manager; marketing manager; marketing director; marketing;
        marketing strategy; brand; branding; brand strategy; CMO; audience development
    """),
    ("communications-pr", "communications and PR", """
        Communications and PR; press officer; communications manager; PR manager; media; comms;
        communications; PR; public relations; media relations; press; press office; crisis
        communications; internal communications; crisis comms
    """),
    ("campaigning-policy", "campaigning and policy", """
        Campaigning and policy; campaigner; policy officer; government relations; campaigning;
        campaigns; policy; public affairs; advocacy; lobbying; influencing; public policy
    """),
    # Fundraising and income
    ("fundraising", "fundraising", """
        Fundraising; philanthropy; donor stewardship; capital appeal; capital campaign; legacy
        giving; in-memory giving; regular giving; fundraising events; challenge events;
        fundraiser; income generation; individual giving; major donors; major gifts; legacies;
        legacy fundraising; events fundraising; community fundraising; fundraising strategy;
        head of fundraising; donor relations; fund raising; supporter journeys; supporter care
    """),
    ("digital-fundraising", "digital fundraising", """
        Digital fundraising; online donations; digital giving; donation forms; online regular
        giving; online fundraising; online giving; crowdfunding; peer-to-peer fundraising;
        JustGiving; text giving
    """),
    ("grants-trusts", "grants and trusts", """
        Grants and trust fundraising; trust fundraising; grant management; funding applications;
        bid writer; National Lottery; grants; grant writing; bid writing; trusts and
        foundations; grant funding; lottery funding; grant applications; funding bids; bids
    """),
    ("corporate-partnerships", "corporate partnerships", """
        Corporate partnerships; corporate giving; payroll giving; charity of the year; CSR;
        corporate fundraising; corporate relations; sponsorship; business partnerships
    """),
    ("trading-social-enterprise", "trading and social enterprise", """
        Trading and social enterprise; social enterprise; charity retail; trading subsidiary;
        commercial income; earned income; charity shops
    """),
    # Finance and legal
    ("finance-accounting", "finance", """
        Finance and accounting; finance business partner; financial planning; management
        accountant; statutory accounts; year-end accounts; budget management; financial
        oversight; ICAEW; ICAS; finance manager; financial controller; finance; accounting;
        accountancy; accountant; chartered accountant; ACA; ACCA; CIMA; CIPFA; financial
        management; management accounts; budgeting; bookkeeping; FD; CFO; finance director;
        financial reporting; charity accounts; SORP; Charities SORP; FRS 102; financial
        controls; cash flow; forecasting; Xero; FP&A; payroll
    """),
    ("treasurer", "treasurer", """
        Treasurer; honorary treasurer; hon treasurer; hon. treasurer; charity treasurer; finance
        trustee
    """),
    ("audit", "audit", """
        Audit and assurance; audit and risk committee; audit manager; external auditor; internal
        audit; external audit; assurance; audit committee; independent examination; independent
        examiner; auditing; auditor
    """),
    ("investment", "investment", """
        Investment; investments; investment management; endowment; reserves; reserves policy;
        asset management; social investment; investment committee
    """),
    ("tax-vat", "tax and VAT", """
        Tax and VAT; tax; VAT; Gift Aid; charity tax
    """),
    ("legal", "legal", """
        Legal; in-house lawyer; legal adviser; legal advice; litigation; law; lawyer; solicitor;
        barrister; legal counsel; general counsel; charity law
    """),
    ("commercial-contracts", "contracts", """
        Contracts and commercial law; contracts; contract law; commercial law; contract
        management; commercial; commercial contracts
    """),
    ("technology-law", "technology law", """
        Technology law and IP; IT lawyer; technology lawyer; open source licences; open
        licences; licensing; IP; intellectual property; tech law; IT law; software licensing;
        open source licensing; IT contracts
    """),
    ("regulatory-compliance", "regulatory compliance", """
        Regulatory compliance; compliance; regulation; regulatory; Charity Commission; OSCR;
        Charity Commission for Northern Ireland; CCNI
    """),
    # Governance and people
    ("governance", "governance", """
        Governance; charity trustee; governance review; board secretary; board governance;
        charity governance; Charity Governance Code; corporate governance; company secretary;
        trusteeship; non-executive director; NED; non-exec; board effectiveness; board development
    """),
    ("chairing", "chairing", """
        Chairing; chaired; chair of the board; chair of governors; committee chair; chair;
        chairperson; chairman; chairwoman; board chair; vice chair; chair of trustees
    """),
    ("strategy", "strategy", """
        Strategy and planning; business plans; strategy development; strategy consultant;
        management consultant; strategy; strategic planning; business planning; strategic
        development; business strategy; strategic
    """),
    ("executive-leadership", "executive leadership", """
        Executive leadership; chief operating officer; deputy CEO; leadership; CEO; chief
        executive; managing director; senior leadership; general management; COO; executive
        director
    """),
    ("risk-management", "risk management", """
        Risk management; risk and assurance; risk officer; operational risk; risk frameworks;
        risk registers; risk; enterprise risk management; ERM; risk register; risk and
        compliance; risk assessment; enterprise risk; risk appetite
    """),
    ("hr-people", "HR", """
        HR and people; people and culture; people director; HR manager; HR adviser; HR advisor;
        HRBP; learning and development; L&D; employee engagement; workforce planning; reward;
        HR; human resources; people; CIPD; employment law; employee relations; recruitment;
        talent; people management; HR director; head of people
    """),
    ("safeguarding", "safeguarding", """
        Safeguarding; child safeguarding; safeguarding training; LADO; keeping children safe;
        child protection; safeguarding adults; adult safeguarding; safeguarding lead; designated
        safeguarding lead; DSL; safeguarding trustee
    """),
    ("edi", "equality, diversity and inclusion", """
        Equality, diversity and inclusion; equality; belonging; EDI; DEI; D&I; diversity and
        inclusion; equity; inclusion; diversity; anti-racism
    """),
    ("volunteer-management", "volunteer management", """
        Volunteer management; volunteering; volunteer coordination; volunteer engagement;
        volunteer recruitment
    """),
    ("change-management", "change management", """
        Change management; change lead; change manager; organisational change; organizational
        change; culture change; change; organisational development; OD
    """),
    ("project-programme-management", "project management", """
        Project and programme management; programme director; delivery lead; project management;
        programme management; program management; project manager; programme manager; PMO;
        PRINCE2; PMP; MSP
    """),
    ("operations", "operations", """
        Operations management; operations director; operations manager; operations; service
        delivery; operational management; facilities
    """),
    ("partnerships-mergers", "partnerships and mergers", """
        Partnerships and mergers; partnerships; collaboration; mergers; M&A; consortia;
        partnership development
    """),
    ("health-and-safety", "health and safety", """
        Health and safety; fire safety; H&S; HSE; IOSH; NEBOSH; health & safety
    """),
    ("co-production", "co-production", """
        Lived experience and co-production; co-production; coproduction; lived experience;
        service user involvement; participation; user involvement
    """),
    # Sector knowledge
    ("health-social-care", "health and social care", """
        Health and social care; health; NHS; social care; healthcare; clinical; public health;
        care sector; nursing; GP; clinician; social work; social worker
    """),
    ("mental-health", "mental health", """
        Mental health; mental health services; wellbeing; psychology; counselling
    """),
    ("education", "education", """
        Education; schools; teaching; teacher; higher education; further education; academia;
        early years
    """),
    ("youth-work", "youth work", """
        Children and youth work; youth work; youth services; children's services; youth worker
    """),
    ("housing-homelessness", "housing and homelessness", """
        Housing and homelessness; housing; homelessness; social housing; housing association
    """),
    ("property", "property", """
        Property and estates; surveyor; chartered surveyor; building surveyor; estates
        management; construction; estates; real estate; surveying; RICS; buildings; facilities
        management; property management
    """),
    ("arts-culture-heritage", "arts and heritage", """
        Arts, culture and heritage; arts; culture; heritage; museums; theatre; galleries
    """),
    ("environment-sustainability", "environmental sustainability", """
        Environment and sustainability; sustainability; climate; net zero; ESG; environmental;
        conservation
    """),
    ("international-development", "international development", """
        International development; overseas aid; humanitarian; NGO; development sector
    """),
    ("criminal-justice", "criminal justice", """
        Criminal justice; probation; prisons; rehabilitation; policing; justice
    """),
    ("public-sector", "public sector", """
        Local and central government; civil servant; council officer; public sector; local
        government; local authority; council; civil service; commissioning
    """),
    ("sport", "sport", """
        Sport and physical activity; sport; sports; physical activity; leisure
    """),
    ("community-development", "community development", """
        Community development; community organiser; community organising; community engagement;
        grassroots; place-based; community work
    """),
]]

# Skills close enough that having one is partial evidence for the other ("a statistician can
# analyse data"): skill -> the skills it stands in for. Used with a small weight, never as "has".
DEFAULT_RELATED: dict[str, tuple[str, ...]] = {
    "security-operations": ("cybersecurity",),
    "identity-access": ("cybersecurity",),
    "cybersecurity": ("security-operations", "risk-management"),
    "business-continuity": ("security-operations",),
    "data-governance": ("data-protection",),
    "data-protection": ("data-governance",),
    "treasurer": ("finance-accounting",),
    "finance-accounting": ("treasurer", "audit"),
    "audit": ("finance-accounting", "risk-management"),
    "risk-management": ("audit",),
    "regulatory-compliance": ("risk-management",),
    "tax-vat": ("finance-accounting",),
    "investment": ("finance-accounting",),
    "data-science": ("data-analytics", "ai-machine-learning"),
    "data-engineering": ("data-analytics",),
    "data-analytics": ("impact-measurement",),
    "impact-measurement": ("data-analytics",),
    "data-strategy": ("data-analytics", "data-governance"),
    "ai-machine-learning": ("data-science", "data-ethics"),
    "data-ethics": ("ai-machine-learning",),
    "technology-leadership": ("digital-strategy",),
    "digital-strategy": ("digital-transformation", "technology-leadership"),
    "digital-transformation": ("digital-strategy", "change-management"),
    "ux-service-design": ("user-research",),
    "user-research": ("ux-service-design",),
    "content-design": ("ux-service-design",),
    "accessibility": ("ux-service-design", "web-development"),
    "web-development": ("software-engineering",),
    "software-engineering": ("web-development",),
    "workplace-it": ("cloud-infrastructure", "it-service-management"),
    "it-service-management": ("workplace-it",),
    "devops": ("cloud-infrastructure",),
    "architecture": ("cloud-infrastructure",),
    "it-procurement": ("commercial-contracts",),
    "commercial-contracts": ("it-procurement", "legal"),
    "technology-law": ("legal",),
    "digital-marketing": ("social-media", "content-seo"),
    "social-media": ("digital-marketing",),
    "content-seo": ("digital-marketing",),
    "marketing-strategy": ("communications-pr",),
    "communications-pr": ("marketing-strategy", "campaigning-policy"),
    "campaigning-policy": ("communications-pr",),
    "digital-fundraising": ("fundraising", "digital-marketing"),
    "grants-trusts": ("fundraising",),
    "corporate-partnerships": ("fundraising",),
    "trading-social-enterprise": ("fundraising",),
    "chairing": ("governance",),
    "governance": ("chairing",),
    "executive-leadership": ("strategy",),
    "youth-work": ("safeguarding",),
    "online-safety": ("safeguarding",),
    "safeguarding": ("online-safety",),
    "volunteer-management": ("hr-people",),
    "community-development": ("digital-inclusion",),
    "digital-inclusion": ("community-development",),
}
