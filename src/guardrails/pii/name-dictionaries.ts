/**
 * @module guardrails/pii/name-dictionaries
 * Word lists for names: Korean surnames (single and compound), English given names, words
 * that look like a Korean name but are not, organisation suffixes and place names. Compiled
 * from common knowledge of Korean and English naming; extend them per deployment if needed.
 */

export const koreanSurnames =
  '김 이 박 최 정 강 조 윤 장 임 한 오 서 신 권 황 안 송 류 유 전 홍 고 문 양 손 배 백 허 남 심 노 하 곽 성 차 주 우 구 민 진 나 지 엄 채 원 천 방 공 현 함 변 염 여 추 도 소 석 선 설 마 길 연 위 표 명 기 반 왕 금 옥 육 인 맹 제 모 탁 국 어 은 편 용 예 경 봉 사 부 가 복 태 목 형 계 피 두 감 음 빈 동 온 호 범 좌 팽 승 간 상 갈 단 견 당'.split(
    ' ',
  );
export const koreanCompoundSurnames = [
  '남궁',
  '황보',
  '제갈',
  '선우',
  '독고',
  '사공',
  '서문',
  '동방',
  '어금',
];

/** Two-syllable words that start with a surname and precede 님/씨 but are not names. */
export const notKoreanNames = new Set(
  (
    '고객 회원 선생 사장 부장 과장 차장 대리 이사 상무 전무 회장 이용 주문 담당 관리 학생 어머 아버 할머 할아 여러 선배 후배 손님 기사 대표 직원 상담 작가 의사 ' +
    '간호 교수 원장 팀장 소장 실장 하나 부처 예수 주인 가족 형님 누님 언니 오빠 동생 부모 조상 선장 기장 반장 총장 시장 구청 도지 연구 신부 수녀 스님 ' +
    '사모 주님 임금 왕자 공주 장군 박사 소비 구매 판매 신청 수신 발신 작성 보호 환자 이분 저분 그분 여기 거기 저기 우리 모두 각자 상대 당신 자기 본인'
  ).split(' '),
);

export const koreanNameContext = [
  '이름',
  '성명',
  '성함',
  '고객명',
  '담당자',
  '작성자',
  '신청인',
  '신청자',
  '보호자',
  '환자명',
  '대표자',
  '수신인',
  '발신인',
  '예금주',
  '수령인',
  '받는 분',
  '보내는 분',
  '소유자',
  '지원자',
  '명의자',
  '가입자',
  '계약자',
  '피보험자',
  '임차인',
  '임대인',
];

export const koreanHonorifics = [
  '씨',
  '님',
  '고객님',
  '고객',
  '대표님',
  '대표',
  '과장님',
  '과장',
  '부장님',
  '부장',
  '차장님',
  '차장',
  '대리님',
  '대리',
  '팀장님',
  '팀장',
  '사원',
  '선생님',
  '교수님',
  '교수',
  '의원',
  '원장님',
  '원장',
  '변호사',
  '기자',
  '박사',
  '사장님',
  '사장',
  '이사님',
  '이사',
  '상무',
  '전무',
  '회장님',
  '회장',
  '주임',
  '실장님',
  '실장',
];

/** Common given names (English-speaking countries and frequent international ones). */
export const englishGivenNames = new Set(
  (
    'james john robert michael william david richard joseph thomas charles christopher daniel matthew anthony mark donald steven paul andrew joshua kenneth kevin brian ' +
    'george timothy ronald edward jason jeffrey ryan jacob gary nicholas eric jonathan stephen larry justin scott brandon benjamin samuel gregory alexander frank patrick ' +
    'raymond jack dennis jerry tyler aaron jose adam nathan henry douglas zachary peter kyle ethan walter noah jeremy christian keith roger terry gerald harold sean austin ' +
    'carl arthur lawrence dylan jesse jordan bryan billy joe bruce gabriel logan albert willie alan juan wayne elijah randy roy vincent ralph eugene russell bobby mason ' +
    'philip louis liam oliver lucas leo oscar harry charlie jamie max luke owen hugo felix victor martin simon ian colin neil stuart graham' +
    ' mary patricia jennifer linda elizabeth barbara susan jessica sarah karen lisa nancy betty margaret sandra ashley kimberly emily donna michelle carol amanda dorothy ' +
    'melissa deborah stephanie rebecca sharon laura cynthia kathleen amy angela shirley anna brenda pamela emma nicole helen samantha katherine christine debra rachel ' +
    'carolyn janet catherine maria heather diane ruth julie olivia joyce virginia victoria kelly lauren christina joan evelyn judith megan andrea cheryl hannah jacqueline ' +
    'martha gloria teresa ann sara madison frances kathryn janice jean abigail alice judy sophia grace denise amber doris marilyn danielle beverly isabella theresa diana ' +
    'natalie brittany charlotte marie kayla alexis lori ava mia chloe zoe lily ella sophie lucy julia clara eva nora alice'
  ).split(' '),
);

export const englishTitles = ['Mr', 'Mrs', 'Ms', 'Miss', 'Mx', 'Dr', 'Prof', 'Sir', 'Dame', 'Madam', 'Rev'];

export const organisationSuffixesKo = [
  '주식회사',
  '㈜',
  '(주)',
  '유한회사',
  '그룹',
  '은행',
  '뱅크',
  '증권',
  '보험',
  '카드',
  '전자',
  '건설',
  '화학',
  '병원',
  '대학교',
  '재단',
  '협회',
  '연구원',
  '연구소',
  '공사',
  '공단',
  '위원회',
  '홀딩스',
  '물산',
  '제약',
  '통신',
];
/** Words that open a Korean organisation's name: 주식회사 삼성전자, ㈜카카오. */
export const organisationPrefixesKo = ['주식회사', '㈜', '(주)', '유한회사', '재단법인', '사단법인'];
/** Organisations known by one word (reported alone, not as a suffix). */
export const cooperativesKo = ['농협', '수협', '신협', '우체국', '새마을금고'];

export const organisationSuffixesEn = [
  'Inc',
  'Inc.',
  'Corp',
  'Corp.',
  'Corporation',
  'LLC',
  'Ltd',
  'Ltd.',
  'Co.',
  'Company',
  'Group',
  'Holdings',
  'Bank',
  'University',
  'Institute',
  'Foundation',
  'Association',
  'Hospital',
  'Labs',
  'Technologies',
  'GmbH',
  'AG',
  'plc',
];

export const koreanRegions =
  '서울|부산|대구|인천|광주|대전|울산|세종|경기|강원|충청북|충청남|충북|충남|전라북|전라남|전북|전남|경상북|경상남|경북|경남|제주';

export const placeNames: readonly string[] = (
  'Seoul,Busan,Incheon,Daegu,Daejeon,Gwangju,Ulsan,Jeju,Korea,South Korea,Japan,Tokyo,Osaka,China,Beijing,Shanghai,Hong Kong,Taiwan,Singapore,Vietnam,Hanoi,' +
  'Thailand,Bangkok,India,London,Paris,Berlin,Madrid,Rome,Amsterdam,Brussels,Vienna,Zurich,Geneva,Stockholm,Oslo,Copenhagen,Helsinki,Dublin,Lisbon,Warsaw,Prague,' +
  'Budapest,Athens,Istanbul,Moscow,New York,Boston,Chicago,Seattle,San Francisco,Los Angeles,Washington,Texas,California,Florida,Toronto,Vancouver,Montreal,' +
  'Sydney,Melbourne,Auckland,Canada,Australia,Germany,France,Italy,Spain,Portugal,Netherlands,Belgium,Austria,Switzerland,Sweden,Norway,Denmark,Finland,Ireland,' +
  'Poland,Greece,Turkey,Russia,Brazil,Mexico,Argentina,Chile,Egypt,Israel,Uruguay,Hungary,Cyprus,United States,United Kingdom,' +
  '서울,부산,인천,대구,대전,광주,울산,제주,한국,대한민국,일본,도쿄,중국,베이징,상하이,미국,뉴욕,영국,런던,프랑스,파리,독일,베를린,캐나다,호주'
).split(',');

export const latinPlaces = placeNames.filter((name) => /^[A-Za-z]/.test(name));
export const hangulPlaces = placeNames.filter((name) => !/^[A-Za-z]/.test(name));

/** Words that introduce a name in English ("My name is", "Dear"), in lower case. */
export const englishNameLabels = ['my name is', 'name', 'signed', 'regards,', 'sincerely,', 'dear'];

/** Top-level domains a bare domain ("example.com") may end with. */
export const topLevelDomains =
  'com|net|org|edu|gov|mil|int|info|biz|io|ai|app|dev|co|me|tv|site|online|store|tech|xyz|cloud|page|blog|shop|kr|us|uk|de|fr|jp|cn|ca|au|in|br|ru|it|es|nl|se|no|fi|dk|ch|at|be|pl|il|tw|hk|sg|nz|ie|pt|gr|cz|hu|ro|tr|mx|ar|za|vn|th|id|my|ph|ua'.split(
    '|',
  );
