"""The built-in causes taxonomy: (slug, name, aliases), the product's causes in people's words.

Read with the same :class:`~matching.vocabulary.SkillVocabulary` as skills, so "young people",
"kids" and "Children and young people" are one cause, and "mental health and young people"
names two.
"""

from matching.default_skills import _entry

DEFAULT_CAUSES: list[tuple[str, str, tuple[str, ...]]] = [_entry(*e) for e in [
    ("children-young-people", "children and young people", "Children and young people; children;"
     " young people; youth; kids; teenagers; young carers; care leavers; families"),
    ("older-people", "older people", "Older people; elderly; older adults; ageing; aging;"
     " loneliness in later life; later life; dementia"),
    ("carers", "carers", "Carers; unpaid carers; caring"),
    ("mental-health", "mental health", "Mental health; wellbeing; suicide prevention;"
     " mental illness; emotional wellbeing"),
    ("health", "health", "Health; hospices; hospice; end of life care; cancer; NHS;"
     " public health; medical research; palliative care"),
    ("disability", "disability", "Disability; disabled people; learning disabilities;"
     " learning disability; autism; deaf; blind; sight loss; accessibility; SEND"),
    ("homelessness-housing", "homelessness and housing", "Homelessness and housing;"
     " homelessness; homeless; housing; rough sleeping; social housing"),
    ("poverty", "poverty", "Poverty and financial hardship; poverty; food banks; food bank;"
     " food poverty; debt advice; financial hardship; cost of living; fuel poverty"),
    ("domestic-abuse", "domestic abuse", "Domestic abuse; domestic violence; DV; VAWG;"
     " violence against women and girls; abuse survivors; sexual violence"),
    ("refugees-asylum", "refugees and asylum seekers", "Refugees and asylum seekers; refugees;"
     " refugee; asylum seekers; asylum; migrants; migration"),
    ("women-girls", "women and girls", "Women and girls; women; girls; gender equality"),
    ("lgbtq", "LGBTQ+", "LGBTQ+; LGBTQ; LGBT; LGBTQIA+; queer; trans; LGBT+"),
    ("race-equality", "race equality", "Race equality; racial justice; anti-racism;"
     " ethnic minorities; Black communities"),
    ("criminal-justice", "criminal justice", "Criminal justice; prisons; prisoners;"
     " ex-offenders; rehabilitation; probation; youth justice"),
    ("addiction", "addiction and recovery", "Addiction and recovery; addiction; recovery;"
     " substance misuse; drugs and alcohol; alcohol; gambling harm"),
    ("education-skills", "education and skills", "Education and skills; education; skills;"
     " literacy; schools; adult education; employability; training"),
    ("digital-inclusion", "digital inclusion", "Digital inclusion; digital exclusion;"
     " digital skills; digital divide; data poverty"),
    ("community-development", "community development", "Community development; community;"
     " communities; local community; community groups; regeneration"),
    ("environment-climate", "environment and climate", "Environment and climate; environment;"
     " climate; climate change; conservation; nature; wildlife; sustainability; net zero"),
    ("animals", "animal welfare", "Animal welfare; animals; animal rescue; pets"),
    ("arts-culture", "arts and culture", "Arts and culture; arts; culture; music; theatre;"
     " museums; creative arts"),
    ("heritage", "heritage", "Heritage; historic buildings; history; archives"),
    ("sport", "sport and recreation", "Sport and recreation; sport; sports; recreation;"
     " physical activity; grassroots sport"),
    ("faith", "faith", "Faith; church; religion; interfaith; mosque; synagogue"),
    ("international-development", "international development", "International development;"
     " overseas aid; humanitarian; global health; international aid"),
]]
