//! What the application's tests share: one small org with a line of management in it.

/// `boss` runs the org; `lead` (a manager in the middle) manages `dev`; `other` manages
/// `ot`, outside `lead`'s line.
pub const PEOPLE: &str = "id,name,email,level,team,manager\n\
    boss,Bo Boss,boss@x.io,L7,t0,\n\
    lead,Li Lead,lead@x.io,L6,t1,boss\n\
    other,Oz Other,other@x.io,L6,t2,boss\n\
    dev,Di Dev,dev@x.io,L4,t1,lead\n\
    ot,Ot Ter,ot@x.io,L4,t2,other\n";
pub const STINTS: &str = "person,role,level,team,start\n\
    boss,manager,L7,t0,2019-01-01\n\
    lead,manager,L6,t1,2020-01-01\n\
    other,manager,L6,t2,2020-01-01\n\
    dev,engineer,L4,t1,2021-01-01\n\
    ot,engineer,L4,t2,2021-01-01\n";
