"""UK places in people's own words, resolved to the twelve UK regions.

People write where they are as they would say it: "Leeds", "Hackney, London", "Bangor, County
Down", "North West England", "Yorkshire". Comparing those strings as written would put Leeds and
York in different places, so regions are compared after resolving towns, cities, boroughs and
counties through a small bundled table. A place the table does not know is compared as written
(normalised for case and spacing); "UK-wide", "remote" or "anywhere" say nothing about a region.
"""

from __future__ import annotations

import re

REGIONS = (
    "North East", "North West", "Yorkshire and the Humber", "East Midlands", "West Midlands",
    "East of England", "London", "South East", "South West", "Wales", "Scotland",
    "Northern Ireland",
)
_WITH_THE = {"North East", "North West", "East Midlands", "West Midlands", "East of England",
             "South East", "South West"}

# Each region: its own names, "|", then counties, cities, towns and boroughs. A name in two
# regions is listed once, under the one people most often mean ("Newport": Wales; "Richmond":
# London; "Bangor": Wales). "Bangor, County Down" still resolves: see ``resolve_region``.
_PLACES: dict[str, str] = {
    "North East": """
        north east england; northeast; north east; ne england | county durham; durham; tyne and
        wear; tyneside; teesside; northumberland; cleveland; co durham; newcastle; newcastle
        upon tyne; sunderland; middlesbrough; gateshead; darlington; hartlepool; stockton on
        tees; stockton; hexham; morpeth; blyth; south shields; north shields; whitley bay;
        tynemouth; redcar; berwick; berwick upon tweed; alnwick; consett; bishop auckland;
        newton aycliffe; peterlee; seaham; cramlington; ashington; jarrow; wallsend
    """,
    "North West": """
        north west england; northwest; north west; nw england | greater manchester; manchester;
        merseyside; liverpool; lancashire; lancs; cheshire; cumbria; lake district; preston;
        blackpool; blackburn; bolton; bury; oldham; rochdale; salford; stockport; tameside;
        trafford; wigan; warrington; chester; crewe; macclesfield; lancaster; morecambe;
        burnley; carlisle; kendal; barrow; barrow in furness; whitehaven; workington; penrith;
        southport; st helens; wirral; birkenhead; knowsley; sefton; widnes; runcorn; altrincham;
        stretford; ashton under lyne; chorley; ormskirk; skelmersdale; accrington; northwich;
        ellesmere port; wilmslow; knutsford; didsbury; chorlton; fleetwood; lytham st annes;
        bootle; stalybridge
    """,
    "Yorkshire and the Humber": """
        yorkshire and the humber; yorkshire and humber; yorkshire | north yorkshire; west
        yorkshire; south yorkshire; east yorkshire; yorks; north yorks; west yorks; south yorks;
        east yorks; east riding; east riding of yorkshire; humber; humberside; yorkshire dales;
        north lincolnshire; north east lincolnshire; leeds; sheffield; bradford; hull; kingston
        upon hull; york; huddersfield; wakefield; doncaster; rotherham; barnsley; halifax;
        calderdale; kirklees; harrogate; scarborough; whitby; grimsby; cleethorpes; scunthorpe;
        keighley; dewsbury; batley; pontefract; castleford; beverley; bridlington; goole; selby;
        skipton; ilkley; otley; ripon; northallerton; hebden bridge; holmfirth; todmorden;
        brighouse; pudsey; headingley; saltaire; shipley; thirsk; malton
    """,
    "East Midlands": """
        east midlands | nottinghamshire; notts; derbyshire; derbys; leicestershire; leics;
        lincolnshire; lincs; northamptonshire; northants; rutland; peak district; nottingham;
        derby; leicester; lincoln; northampton; mansfield; chesterfield; loughborough;
        kettering; corby; wellingborough; boston; grantham; skegness; newark; worksop; hinckley;
        melton mowbray; market harborough; buxton; matlock; ilkeston; long eaton; beeston;
        stamford; spalding; sleaford; gainsborough; bakewell; daventry; oakham; coalville
    """,
    "West Midlands": """
        west midlands | black country; worcestershire; worcs; herefordshire; shropshire;
        staffordshire; staffs; warwickshire; brum; birmingham; coventry; wolverhampton; stoke;
        stoke on trent; worcester; hereford; shrewsbury; telford; stafford; walsall; dudley;
        sandwell; west bromwich; solihull; warwick; leamington spa; leamington; rugby; nuneaton;
        stratford upon avon; kidderminster; redditch; bromsgrove; tamworth; lichfield; burton
        upon trent; burton; cannock; newcastle under lyme; ludlow; oswestry; malvern; evesham;
        sutton coldfield; halesowen; stourbridge; bridgnorth; leek
    """,
    "East of England": """
        east of england; east england; eastern england; east anglia | cambridgeshire; cambs;
        norfolk; suffolk; essex; bedfordshire; beds; hertfordshire; herts; thurrock; cambridge;
        norwich; ipswich; chelmsford; colchester; southend; southend on sea; basildon;
        peterborough; luton; bedford; st albans; watford; stevenage; hemel hempstead; harlow;
        welwyn garden city; hatfield; hitchin; letchworth; brentwood; braintree; harwich;
        clacton; kings lynn; great yarmouth; lowestoft; bury st edmunds; felixstowe; ely;
        huntingdon; st neots; thetford; cromer; saffron walden; billericay; grays; dunstable;
        leighton buzzard; sudbury; newmarket; wisbech; royston; hertford; bishops stortford;
        tring; rickmansworth
    """,
    "London": """
        london; greater london | central london; city of london; north london; south london;
        east london; west london; westminster; camden; islington; hackney; tower hamlets;
        southwark; lambeth; wandsworth; hammersmith; fulham; kensington; chelsea; brent; ealing;
        hounslow; richmond; kingston; kingston upon thames; merton; sutton; croydon; bromley;
        lewisham; greenwich; bexley; havering; barking; dagenham; redbridge; newham; waltham
        forest; haringey; enfield; barnet; harrow; hillingdon; brixton; peckham; shoreditch;
        stratford; wimbledon; clapham; battersea; walthamstow; tottenham; wembley; canary wharf;
        deptford; woolwich; hampstead; highgate; finchley; uxbridge; romford; ilford;
        bermondsey; whitechapel; bethnal green; dalston; stoke newington; holloway; kilburn;
        acton; chiswick; putney; tooting; streatham; dulwich; catford; leyton; kentish town;
        soho; holborn; marylebone; paddington; notting hill
    """,
    "South East": """
        south east england; southeast; south east | home counties; berkshire; berks; hants;
        oxon; oxfordshire; hampshire; kent; surrey; sussex; east sussex; west sussex;
        buckinghamshire; bucks; isle of wight; medway; new forest; thanet; brighton; brighton
        and hove; hove; oxford; reading; southampton; portsmouth; canterbury; maidstone;
        guildford; woking; crawley; worthing; chichester; eastbourne; hastings; milton keynes;
        aylesbury; high wycombe; slough; windsor; maidenhead; bracknell; newbury; basingstoke;
        winchester; tunbridge wells; royal tunbridge wells; sevenoaks; tonbridge; dover;
        folkestone; ashford; margate; ramsgate; chatham; rochester; gillingham; gravesend;
        dartford; horsham; epsom; reigate; redhill; farnham; camberley; banbury; bicester;
        abingdon; witney; didcot; henley; henley on thames; wokingham; eastleigh; fareham;
        gosport; havant; andover; aldershot; farnborough; lewes; bognor regis; littlehampton;
        haywards heath; burgess hill; whitstable; faversham; sittingbourne; bexhill; dorking;
        leatherhead; staines; weybridge; lymington
    """,
    "South West": """
        south west england; southwest; south west; west country | cotswolds; devon; glos; wilts;
        somerset levels; cornwall; somerset; dorset; gloucestershire; wiltshire; torbay; forest
        of dean; bristol; bath; exeter; plymouth; truro; taunton; bournemouth; poole;
        gloucester; cheltenham; swindon; salisbury; torquay; paignton; barnstaple; yeovil;
        weymouth; dorchester; stroud; cirencester; chippenham; trowbridge; penzance; falmouth;
        st ives; newquay; bodmin; st austell; glastonbury; frome; bridgwater; weston super mare;
        minehead; exmouth; tiverton; totnes; dartmouth; newton abbot; tavistock; bideford;
        christchurch; bridport; lyme regis; tewkesbury; devizes; marlborough; warminster;
        clevedon; keynsham; shepton mallet
    """,
    "Wales": """
        wales; cymru | south wales; north wales; mid wales; west wales; anglesey; gwynedd;
        powys; ceredigion; pembrokeshire; carmarthenshire; denbighshire; flintshire; rhondda;
        glamorgan; vale of glamorgan; blaenau gwent; torfaen; snowdonia; cardiff; swansea;
        newport; wrexham; bangor; aberystwyth; carmarthen; llanelli; neath; port talbot;
        bridgend; merthyr tydfil; pontypridd; caerphilly; cwmbran; abergavenny; monmouth;
        brecon; llandudno; rhyl; colwyn bay; conwy; caernarfon; holyhead; haverfordwest;
        pembroke; tenby; mold; welshpool; newtown; llandrindod wells; chepstow; penarth; ebbw
        vale; pontypool; aberdare
    """,
    "Scotland": """
        scotland | fife; lothian; west lothian; midlothian; east lothian; ayrshire; lanarkshire;
        highlands; highland; scottish borders; moray; aberdeenshire; angus; orkney; shetland;
        western isles; outer hebrides; isle of skye; skye; argyll; clackmannanshire; dumfries
        and galloway; galloway; edinburgh; glasgow; aberdeen; dundee; inverness; stirling;
        perth; falkirk; livingston; paisley; kilmarnock; ayr; dumfries; east kilbride; hamilton;
        motherwell; cumbernauld; dunfermline; kirkcaldy; st andrews; galashiels; fort william;
        oban; elgin; arbroath; montrose; lerwick; kirkwall; stornoway; dumbarton; greenock;
        clydebank; coatbridge; airdrie; irvine; peterhead; fraserburgh; musselburgh; dalkeith;
        bathgate; alloa; peebles; hawick; kelso; wishaw; glenrothes; leith; portobello
    """,
    "Northern Ireland": """
        northern ireland; ni | antrim; county antrim; county down; armagh; county armagh; co
        down; co antrim; co armagh; co tyrone; co fermanagh; tyrone; county tyrone; fermanagh;
        county fermanagh; county londonderry; belfast; derry; londonderry; lisburn; newry;
        ballymena; newtownabbey; carrickfergus; coleraine; omagh; enniskillen; craigavon;
        portadown; lurgan; banbridge; dungannon; cookstown; larne; holywood; newtownards;
        downpatrick; limavady; strabane; magherafelt; portrush; ballymoney
    """,
}

# Words that say where someone is without naming a region.
_NOWHERE = {"uk", "united kingdom", "great britain", "gb", "britain", "england",
            "england and wales", "anywhere", "remote", "remotely", "online", "virtual",
            "nationwide", "national", "uk wide", "across the uk", "various", "n a", "none"}

_LOOKUP: dict[str, str] = {}
_REGION_NAMES: dict[str, set[str]] = {}
for _region, _names in _PLACES.items():
    _own, _towns = _names.split("|")
    _REGION_NAMES[_region] = {" ".join(n.split()) for n in _own.split(";")}
    for _name in (*_own.split(";"), *_towns.split(";")):
        _LOOKUP.setdefault(" ".join(_name.split()), _region)
_LONGEST = max(len(k.split()) for k in _LOOKUP)


def normalise_place(text: str) -> str:
    """Lower case, '&' as 'and', no punctuation, single spaces ("St. Albans" -> "st albans")."""
    text = text.lower().replace("&", " and ").replace("'", "").replace("\u2019", "")
    return " ".join(re.sub(r"[^\w\s]|_", " ", text).split())


def _first_region(part: str) -> str | None:
    words = part.split()
    for i in range(len(words)):
        for n in range(min(_LONGEST, len(words) - i), 0, -1):
            region = _LOOKUP.get(" ".join(words[i : i + n]))
            if region is not None:
                return region
    return None


def resolve_region(text: str | None) -> str | None:
    """The UK region a place names, or None when it names none the table knows.

    A town followed by its county after a comma ("Bangor, County Down") takes the county's
    region; otherwise the first place named wins ("London, happy to travel to Leeds").

    >>> resolve_region("Leeds"), resolve_region("Hackney, London"), resolve_region("Mars")
    ('Yorkshire and the Humber', 'London', None)
    """
    if not text:
        return None
    parts = [normalise_place(p) for p in text.split(",")]
    found = [r for r in (_first_region(p) for p in parts if p) if r is not None]
    if not found:
        return None
    return found[-1] if len(found) > 1 and _LOOKUP.get(parts[-1]) is not None else found[0]


def region_key(text: str | None) -> str | None:
    """What two places are compared by: the region, else the normalised words; None if the
    words name no place at all ("UK-wide", "remote")."""
    if text is None:
        return None
    words = normalise_place(text)
    if not words or words in _NOWHERE:
        return None
    return resolve_region(text) or words


def describe_place(text: str) -> str:
    """A place as a sentence can carry it: "the North West", "Leeds", "Leeds, in Yorkshire and
    the Humber" (the region added when the words name a town)."""
    words = text.strip()
    region = resolve_region(words)
    if region is None:
        return words
    with_article = f"the {region}" if region in _WITH_THE else region
    said = normalise_place(words).removeprefix("the ")
    names = _REGION_NAMES[region] | {normalise_place(region)}
    if said in names:
        return with_article
    if any(re.search(rf"\b{re.escape(n)}\b", said) for n in names):  # "Hackney, London"
        return words
    return f"{words}, in {with_article}"
